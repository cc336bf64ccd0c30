/** An error for the reader and for screen readers (role=alert announces it as it appears). */
export function ErrorMessage({ message }: { message?: string }) {
  if (!message) return null;
  return (
    <p className="error" role="alert">
      {message}
    </p>
  );
}

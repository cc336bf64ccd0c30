import type { User } from './user';

/** Persistence port for users. User names are unique across the node (see userKey). */
export abstract class UserStore {
  /** Stores a new user; false when the user name is already taken (in any contact center). */
  abstract create(user: User): Promise<boolean>;
  /** The user of this contact center, or undefined (also when the name belongs to another contact center). */
  abstract get(ccid: string, userName: string): Promise<User | undefined>;
  /** The user with this name in whatever contact center it belongs to: the lookup of Basic auth. */
  abstract findByName(userName: string): Promise<User | undefined>;
  /** Every user of a contact center, ordered by user name key. */
  abstract list(ccid: string): Promise<User[]>;
  /** Replaces a user of this contact center; false when there is no such user. */
  abstract update(user: User): Promise<boolean>;
  abstract delete(ccid: string, userName: string): Promise<boolean>;
}

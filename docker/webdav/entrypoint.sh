#!/bin/sh
set -e
mkdir -p /var/lib/dav/recordings /var/lock/apache2
chown -R www-data:www-data /var/lib/dav /var/lock/apache2
htpasswd -b -c -B /etc/apache2/webdav.passwd "$WEBDAV_USERNAME" "$WEBDAV_PASSWORD"
exec apache2ctl -D FOREGROUND

#!/usr/bin/env bash
# Back up the site: the PostgreSQL database (pg_dump custom format) and the uploaded
# files (MEDIA_ROOT), into one dated folder. Run as the site's user, e.g. nightly:
#   sudo -u coffee /srv/coffee/deploy/backup.sh /var/backups/coffee
# Reads DATABASE_URL and MEDIA_ROOT from the environment or /srv/coffee/.env.
# Copy the folder off the server (another machine, a bucket): a backup on the same disk
# is not a backup.
set -euo pipefail
umask 077  # the dump holds every member's data: readable by the site's user only
cd "$(dirname "$0")/.."
if [ -f .env ]; then set -a; . ./.env; set +a; fi
: "${DATABASE_URL:?Set DATABASE_URL (postgres://...)}"
MEDIA_ROOT="${MEDIA_ROOT:-$PWD/media}"
target="${1:?usage: deploy/backup.sh BACKUP_FOLDER}/$(date -u +%Y-%m-%dT%H%M%SZ)"
mkdir -p "$target"
pg_dump --format=custom --no-owner --file="$target/database.dump" "$DATABASE_URL"
if [ -d "$MEDIA_ROOT" ]; then
  tar --create --gzip --file="$target/media.tar.gz" --directory="$MEDIA_ROOT" .
fi
echo "$target"

#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh into the database and MEDIA_ROOT named in
# the environment (or .env): replaces what is there. Stop the site first:
#   systemctl stop coffee-web coffee-worker coffee-beat
#   sudo -u coffee /srv/coffee/deploy/restore.sh /var/backups/coffee/2026-12-05T020000Z
#   systemctl start coffee-web coffee-worker coffee-beat
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f .env ]; then set -a; . ./.env; set +a; fi
: "${DATABASE_URL:?Set DATABASE_URL (postgres://...)}"
MEDIA_ROOT="${MEDIA_ROOT:-$PWD/media}"
source="${1:?usage: deploy/restore.sh BACKUP_FOLDER}"
test -f "$source/database.dump" || { echo "no database.dump in $source" >&2; exit 2; }
pg_restore --clean --if-exists --no-owner --single-transaction --dbname="$DATABASE_URL" \
  "$source/database.dump"
if [ -f "$source/media.tar.gz" ]; then
  mkdir -p "$MEDIA_ROOT"
  find "$MEDIA_ROOT" -mindepth 1 -delete
  tar --extract --gzip --file="$source/media.tar.gz" --directory="$MEDIA_ROOT"
fi
echo "restored $source"

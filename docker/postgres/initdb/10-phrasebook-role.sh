#!/usr/bin/env bash
# Creates Phrasebook's database and its application role, with least privilege.
#
# Run by the postgres image's entrypoint once, when the data directory is empty
# (first start on a fresh volume), against a temporary server that listens on
# the Unix socket only, as the OS user postgres. On a volume that already holds
# a cluster it does not run at all: to change the password later use
#   docker compose exec db psql -U postgres -c '\password phrasebook'
#
# Environment (see docker-compose.yml):
#   PHRASEBOOK_DB_USER           role the app logs in as   (default phrasebook)
#   PHRASEBOOK_DB_NAME           the app's database        (default phrasebook)
#   PHRASEBOOK_DB_PASSWORD_FILE  file holding its password (Docker secret), or
#   PHRASEBOOK_DB_PASSWORD       the password itself (tests); exactly one of them.
#
# Resulting privileges:
#   * role: LOGIN, NOSUPERUSER, NOCREATEDB, NOCREATEROLE, NOREPLICATION,
#     NOBYPASSRLS; it cannot create databases, roles or schemas.
#   * database: owned by the superuser (so the app cannot drop it, rename it or
#     change its settings); CONNECT is granted to the app role only.
#   * schema public of that database: owned by the app role. Flyway creates the
#     app's tables unqualified, i.e. in the first schema of the search path, and
#     jOOQ's generated code expects them in public (as in the embedded
#     PostgreSQL the app uses without Docker). Owning public is the simplest way
#     to let the role create, alter and drop its own tables there and nothing
#     else: since PostgreSQL 15 nobody else may create in public anyway, and we
#     also take away other roles' USAGE. The role's search_path is pinned to
#     public so "$user" (a schema named like the role) can never come first.
set -Eeuo pipefail

die() { echo "phrasebook-initdb: ERROR: $*" >&2; exit 1; }

db_user=${PHRASEBOOK_DB_USER:-phrasebook}
db_name=${PHRASEBOOK_DB_NAME:-phrasebook}
superuser=${POSTGRES_USER:-postgres}

# Conservative names: plain lower-case identifiers need no quoting anywhere
# (JDBC URLs, psql -d, pg_hba). They are still quoted below, as every
# identifier should be.
name_re='^[a-z_][a-z0-9_]{0,62}$'
[[ $db_user =~ $name_re ]] || die "PHRASEBOOK_DB_USER='$db_user' must match $name_re"
[[ $db_name =~ $name_re ]] || die "PHRASEBOOK_DB_NAME='$db_name' must match $name_re"
[[ $db_user != "$superuser" ]] || die "PHRASEBOOK_DB_USER must not be the superuser ($superuser): the app must not run as superuser"
case $db_name in template0|template1|postgres) die "PHRASEBOOK_DB_NAME must not be $db_name" ;; esac

# Same contract as the image's POSTGRES_PASSWORD / POSTGRES_PASSWORD_FILE.
if [[ -n ${PHRASEBOOK_DB_PASSWORD_FILE:-} && -n ${PHRASEBOOK_DB_PASSWORD:-} ]]; then
    die "both PHRASEBOOK_DB_PASSWORD_FILE and PHRASEBOOK_DB_PASSWORD are set; set only one"
elif [[ -n ${PHRASEBOOK_DB_PASSWORD_FILE:-} ]]; then
    [[ -r $PHRASEBOOK_DB_PASSWORD_FILE ]] ||
        die "PHRASEBOOK_DB_PASSWORD_FILE=$PHRASEBOOK_DB_PASSWORD_FILE is missing or not readable by uid $(id -u) (a Docker secret file must be readable by the container user, e.g. mode 0644)"
    # $(< file) drops trailing newlines (as the image does for POSTGRES_PASSWORD_FILE);
    # a trailing CR from a file saved on Windows is dropped too. The app strips
    # the same characters when it reads DATABASE_PASSWORD_FILE.
    db_password=$(< "$PHRASEBOOK_DB_PASSWORD_FILE")
    db_password=${db_password%$'\r'}
elif [[ -n ${PHRASEBOOK_DB_PASSWORD:-} ]]; then
    db_password=$PHRASEBOOK_DB_PASSWORD
else
    die "set PHRASEBOOK_DB_PASSWORD_FILE (a Docker secret) or PHRASEBOOK_DB_PASSWORD: the application role needs a password"
fi
[[ -n $db_password ]] || die "the application role's password is empty (check PHRASEBOOK_DB_PASSWORD_FILE / PHRASEBOOK_DB_PASSWORD)"

psql=(psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet --no-password --username "$superuser"
      -v app_user="$db_user" -v app_db="$db_name")

# The password reaches psql through its environment and \getenv, never through
# argv (visible to every process in `ps`); :'pw' quotes it as a SQL literal.
# The server stores only its SCRAM hash (password_encryption = scram-sha-256).
PHRASEBOOK_INIT_PASSWORD=$db_password "${psql[@]}" --dbname postgres <<'SQL'
\getenv pw PHRASEBOOK_INIT_PASSWORD
CREATE ROLE :"app_user" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE
    NOREPLICATION NOBYPASSRLS INHERIT PASSWORD :'pw';
\unset pw

-- POSTGRES_DB may already have created it; otherwise create it now.
SELECT format('CREATE DATABASE %I', :'app_db')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'app_db') \gexec

-- Only the app role (and superusers) may connect; no TEMPORARY, nobody else.
REVOKE ALL ON DATABASE :"app_db" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"app_db" TO :"app_user";
ALTER ROLE :"app_user" IN DATABASE :"app_db" SET search_path = public;
SQL

# pg_trgm serves the app's search (migration V2); creating an extension takes more than
# the app role may do, so the superuser does it here, once.
"${psql[@]}" --dbname "$db_name" <<'SQL'
ALTER SCHEMA public OWNER TO :"app_user";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
SQL

echo "phrasebook-initdb: role \"$db_user\" (LOGIN, no superuser/createdb/createrole) owns schema public of database \"$db_name\", which has pg_trgm"

#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# pg-partition.sh - PostgreSQL only: the store's events table partitioned
# by month of the bounce's time (events.ts, seconds since the epoch), for
# retention by dropping whole months (docs/scaling.md).
#
# usage: scripts/pg-partition.sh URL convert [MONTHS_BACK]
#            makes events a table partitioned by RANGE (ts), in one
#            transaction (rows, ids and the id sequence kept): one
#            partition a month from MONTHS_BACK (default 12) months ago to
#            three months ahead, and a DEFAULT partition for the rest
#            (older history, dates far off)
#        scripts/pg-partition.sh URL ahead [N]
#            the partitions of the next N months (default 3) that are
#            missing: run it monthly (cron, a systemd timer)
#        scripts/pg-partition.sh URL drop-before DAYS
#            drops the monthly partitions whose whole month is older than
#            DAYS days: retention without a DELETE; `bouncekit prune
#            --events-older-than DAYS` then deletes the rest (the month
#            that straddles the limit and the DEFAULT partition's rows)
#
# URL is libpq's (postgresql://...), the store's own.  Needs psql
# (postgresql-client).  The idempotency key stays unique: the key is a hash
# that includes the time, so UNIQUE (ikey, ts) (which PostgreSQL requires
# of a partitioned table) admits no more rows than UNIQUE (ikey).
set -u
[ $# -ge 2 ] || { sed -n '4,21p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
url=$1 cmd=$2 arg=${3:-}
psql() { command psql -X -q -v ON_ERROR_STOP=1 "$url" "$@"; }

# months_sql FROM_OFFSET TO_OFFSET: a DO block creating the monthly
# partitions from FROM to TO months after the current one, when missing
months_sql() {
	cat <<-EOF
	DO \$\$
	DECLARE m date; nm date; name text;
	BEGIN
	  FOR i IN $1..$2 LOOP
	    m := (date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => i))::date;
	    nm := (m + interval '1 month')::date;
	    name := 'events_' || to_char(m, 'YYYY_MM');
	    IF to_regclass(name) IS NULL THEN
	      EXECUTE format('CREATE TABLE %I PARTITION OF events FOR VALUES FROM (%s) TO (%s)',
	        name, extract(epoch FROM m::timestamp)::bigint, extract(epoch FROM nm::timestamp)::bigint);
	    END IF;
	  END LOOP;
	END \$\$;
	EOF
}

case $cmd in
convert)
	back=${arg:-12}
	{ cat <<-'EOF'
	LOCK TABLE events IN ACCESS EXCLUSIVE MODE;
	ALTER TABLE events RENAME TO events_plain;
	ALTER TABLE events_plain RENAME CONSTRAINT events_pkey TO events_plain_pkey;
	ALTER TABLE events_plain RENAME CONSTRAINT events_ikey_key TO events_plain_ikey_key;
	ALTER INDEX events_address RENAME TO events_plain_address;
	ALTER INDEX events_ts RENAME TO events_plain_ts;
	CREATE TABLE events (LIKE events_plain INCLUDING DEFAULTS) PARTITION BY RANGE (ts);
	ALTER SEQUENCE events_id_seq OWNED BY events.id;
	ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY (id, ts);
	ALTER TABLE events ADD CONSTRAINT events_ikey_key UNIQUE (ikey, ts);
	CREATE INDEX events_address ON events (address, ts);
	CREATE INDEX events_ts ON events (ts);
	CREATE TABLE events_default PARTITION OF events DEFAULT;
	EOF
	  months_sql "-$back" 3
	  cat <<-'EOF'
	INSERT INTO events SELECT * FROM events_plain;
	DROP TABLE events_plain;
	EOF
	} | psql --single-transaction
	;;
ahead)
	months_sql 0 "${arg:-3}" | psql
	;;
drop-before)
	case $arg in ''|*[!0-9]*) echo "pg-partition: drop-before DAYS" >&2; exit 2 ;; esac
	psql <<-EOF
	DO \$\$
	DECLARE r record; cutoff bigint := extract(epoch FROM now())::bigint - $arg * 86400;
	BEGIN
	  FOR r IN SELECT c.relname,
	      (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \(''?(-?[0-9]+)''?\)'))[1]::bigint AS upper
	    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
	    WHERE i.inhparent = 'events'::regclass AND c.relname <> 'events_default'
	  LOOP
	    IF r.upper <= cutoff THEN
	      EXECUTE format('ALTER TABLE events DETACH PARTITION %I', r.relname);
	      EXECUTE format('DROP TABLE %I', r.relname);
	      RAISE NOTICE 'dropped %', r.relname;
	    END IF;
	  END LOOP;
	END \$\$;
	EOF
	;;
*)
	echo "pg-partition: unknown command '$cmd' (convert, ahead, drop-before)" >&2
	exit 2
	;;
esac

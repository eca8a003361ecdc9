import { InvalidOptionError } from "@toolbatch/core";

// Where the PostgreSQL resource limiter keeps a budget that every coordinator shares: three tables
// and one function, in the limiter's schema. Every time is the server's clock_timestamp(), so
// coordinators on machines whose clocks differ still share one clock.
//   resource_holds    one row per key a grant holds, until its release or its lease runs out
//   resource_starts   one row per start of a rate-limited key (a token, back intervalMs later)
//   resource_waiters  calls waiting, in arrival order (seq), each with a lease as well
// A key is `l:<lock key>` or `r:<resource>`: lock keys and resources are separate names.

/** The limiter's SQL names, checked and quoted. */
export interface ResourceTables {
  readonly holds: string;
  readonly starts: string;
  readonly waiters: string;
  /** The function that tries one claim: see `create`. */
  readonly acquire: string;
  /** The channel a release, a grant or a given-up wait NOTIFYs, naming the keys. */
  readonly channel: string;
  /** Creates the tables and the function when missing (idempotent, from any number of processes). */
  readonly create: string;
}

/** Starts are kept this long past their interval, so the last minute of starts can be audited. */
const KEEP_STARTS = "interval '60 seconds'";

/**
 * A NOTIFY payload naming the keys as a JSON array, or '' (everyone looks) when that would pass
 * the server's limit of 8000 bytes.
 */
export function keysPayload(keys: string): string {
  return `(SELECT CASE WHEN octet_length(x) < 7000 THEN x ELSE '' END
    FROM (SELECT array_to_json(${keys})::text AS x) AS payload)`;
}

/** The limiter's tables in `schema` (default `toolbatch`). */
export function resourceTables(schema = "toolbatch"): ResourceTables {
  if (typeof schema !== "string" || !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw new InvalidOptionError(
      "schema",
      schema,
      "a PostgreSQL identifier of letters, digits and _",
    );
  }
  const q = (name: string) => `"${schema}"."${name}"`;
  const holds = q("resource_holds");
  const starts = q("resource_starts");
  const waiters = q("resource_waiters");
  const acquire = q("resource_acquire");
  const channel = `${schema.toLowerCase()}_resource_free`;
  const create = `DO $toolbatch$ BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('toolbatch:' || '${holds}'));
  CREATE SCHEMA IF NOT EXISTS "${schema}";
  CREATE TABLE IF NOT EXISTS ${holds} (
    holder uuid NOT NULL, key text NOT NULL, expires_at timestamptz NOT NULL,
    PRIMARY KEY (holder, key));
  CREATE INDEX IF NOT EXISTS resource_holds_key ON ${holds} (key, expires_at);
  CREATE TABLE IF NOT EXISTS ${starts} (key text NOT NULL, started_at timestamptz NOT NULL);
  CREATE INDEX IF NOT EXISTS resource_starts_key ON ${starts} (key, started_at);
  CREATE TABLE IF NOT EXISTS ${waiters} (
    seq bigserial PRIMARY KEY, holder uuid NOT NULL UNIQUE, keys text[] NOT NULL,
    expires_at timestamptz NOT NULL);
  CREATE INDEX IF NOT EXISTS resource_waiters_keys ON ${waiters} USING gin (keys);
  -- Tries a claim, all or nothing: granted, or the first key that blocks it and why (as the
  -- in-process limiter: concurrency, then rate, then queue), with when a rate token comes back.
  -- A blocked claim with p_wait takes its place in line (a waiter row) in the same transaction.
  CREATE OR REPLACE FUNCTION ${acquire}(
    p_holder uuid, p_keys text[], p_concurrency int[], p_rate int[], p_interval_ms float8[],
    p_lease_ms float8, p_wait boolean)
  RETURNS TABLE (granted boolean, blocked text, reason text, retry_ms float8)
  LANGUAGE plpgsql AS $fn$
  DECLARE
    v_now timestamptz;
    v_lock bigint;
    v_seq bigint;
    v_count int;
    v_oldest timestamptz;
    v_lease interval := p_lease_ms * interval '1 millisecond';
    i int;
  BEGIN
    -- One claim at a time per key, for this transaction only, taken in lock-id order so two
    -- claims never wait on each other in a cycle. A crashed caller's transaction holds nothing.
    FOR v_lock IN SELECT DISTINCT hashtextextended('toolbatch:resource:' || k, 0)
        FROM unnest(p_keys) AS k ORDER BY 1 LOOP
      PERFORM pg_advisory_xact_lock(v_lock);
    END LOOP;
    v_now := clock_timestamp();
    SELECT w.seq INTO v_seq FROM ${waiters} AS w WHERE w.holder = p_holder;
    FOR i IN 1 .. coalesce(array_length(p_keys, 1), 0) LOOP
      IF p_concurrency[i] IS NOT NULL THEN
        SELECT count(*) INTO v_count FROM ${holds} AS h
          WHERE h.key = p_keys[i] AND h.expires_at > v_now;
        IF v_count >= p_concurrency[i] THEN
          blocked := p_keys[i];
          reason := CASE WHEN left(p_keys[i], 2) = 'l:' THEN 'lock' ELSE 'concurrency' END;
          EXIT;
        END IF;
      END IF;
      IF p_rate[i] IS NOT NULL THEN
        SELECT count(*), min(s.started_at) INTO v_count, v_oldest FROM ${starts} AS s
          WHERE s.key = p_keys[i] AND s.started_at > v_now - p_interval_ms[i] * interval '1 millisecond';
        IF v_count >= p_rate[i] THEN
          blocked := p_keys[i];
          reason := 'rate';
          retry_ms := greatest(0, extract(epoch FROM v_oldest - v_now) * 1000 + p_interval_ms[i]);
          EXIT;
        END IF;
      END IF;
      -- First come, first served: a live waiter that came before goes first.
      IF EXISTS (SELECT 1 FROM ${waiters} AS w WHERE w.keys @> ARRAY[p_keys[i]]
          AND w.expires_at > v_now AND (v_seq IS NULL OR w.seq < v_seq)) THEN
        blocked := p_keys[i];
        reason := 'queue';
        EXIT;
      END IF;
    END LOOP;
    IF blocked IS NOT NULL THEN
      granted := false;
      IF p_wait AND v_seq IS NULL THEN
        INSERT INTO ${waiters} (holder, keys, expires_at) VALUES (p_holder, p_keys, v_now + v_lease);
      END IF;
      RETURN NEXT;
      RETURN;
    END IF;
    INSERT INTO ${holds} (holder, key, expires_at)
      SELECT p_holder, k, v_now + v_lease FROM unnest(p_keys) AS k;
    INSERT INTO ${starts} (key, started_at)
      SELECT p_keys[j], v_now FROM generate_subscripts(p_keys, 1) AS j WHERE p_rate[j] IS NOT NULL;
    -- What expired on these keys goes: holds and waits of callers that died, old starts.
    DELETE FROM ${holds} AS h WHERE h.key = ANY(p_keys) AND h.expires_at <= v_now;
    DELETE FROM ${starts} AS s WHERE s.key = ANY(p_keys) AND s.started_at < v_now - ${KEEP_STARTS}
      - (SELECT max(x) FROM unnest(p_interval_ms) AS x) * interval '1 millisecond';
    DELETE FROM ${waiters} AS w WHERE w.keys && p_keys AND w.expires_at <= v_now;
    IF v_seq IS NOT NULL THEN
      DELETE FROM ${waiters} AS w WHERE w.seq = v_seq;
      -- Those behind it in line may go now.
      PERFORM pg_notify('${channel}', ${keysPayload("p_keys")});
    END IF;
    granted := true;
    RETURN NEXT;
  END $fn$;
END $toolbatch$`;
  return { holds, starts, waiters, acquire, channel, create };
}

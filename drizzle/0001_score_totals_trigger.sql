-- Custom SQL migration file, put your code below! --
-- The points ledger is append-only; every insert adds to the running totals of score_totals.
-- A statement-level trigger with a transition table keeps bulk inserts to one upsert per student and period.
CREATE FUNCTION score_period_keys(at timestamptz, zone text) RETURNS text[] LANGUAGE sql STABLE AS $$
  SELECT ARRAY[
    'all',
    'week:' || to_char(date_trunc('week', at AT TIME ZONE zone), 'YYYY-MM-DD'),
    'month:' || to_char(at AT TIME ZONE zone, 'YYYY-MM')
  ]
$$;
--> statement-breakpoint
CREATE FUNCTION add_ledger_rows_to_score_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO score_totals (guild_id, period, user_id, points, reached_at)
  SELECT n.guild_id, k.period, n.user_id, sum(n.points), max(n.created_at) FILTER (WHERE n.points <> 0)
  FROM new_rows n
  LEFT JOIN guild_settings g ON g.guild_id = n.guild_id
  CROSS JOIN LATERAL unnest(score_period_keys(n.created_at, coalesce(g.time_zone, 'UTC'))) AS k(period)
  GROUP BY n.guild_id, k.period, n.user_id
  -- A fixed order takes row locks in the same order in every transaction, so concurrent inserts cannot deadlock.
  ORDER BY 1, 2, 3
  ON CONFLICT (guild_id, period, user_id) DO UPDATE SET
    points = score_totals.points + excluded.points,
    reached_at = CASE WHEN excluded.reached_at IS NULL THEN score_totals.reached_at
                      ELSE greatest(score_totals.reached_at, excluded.reached_at) END;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER points_ledger_score_totals AFTER INSERT ON points_ledger
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION add_ledger_rows_to_score_totals();
--> statement-breakpoint
-- Recomputes a guild's totals from its ledger, for when its time zone (and so its weeks and months) changes.
CREATE FUNCTION rebuild_score_totals(target_guild text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM score_totals WHERE guild_id = target_guild;
  INSERT INTO score_totals (guild_id, period, user_id, points, reached_at)
  SELECT l.guild_id, k.period, l.user_id, sum(l.points), max(l.created_at) FILTER (WHERE l.points <> 0)
  FROM points_ledger l
  LEFT JOIN guild_settings g ON g.guild_id = l.guild_id
  CROSS JOIN LATERAL unnest(score_period_keys(l.created_at, coalesce(g.time_zone, 'UTC'))) AS k(period)
  WHERE l.guild_id = target_guild
  GROUP BY l.guild_id, k.period, l.user_id;
END
$$;

-- Custom SQL migration file, put your code below! --
-- Every guild that has settings or data becomes one cohort with its schedule, named "Cohort 1" (the database does
-- not know channel names; /setup cohort edit renames it), and every row of the guild points to that cohort.
INSERT INTO cohorts (guild_id, name, channel_id, post_time, time_zone, window_hours, days, paused, paused_reason,
                     pause_notice_at, starts_on, remind_hours, created_at, updated_at)
SELECT ids.guild_id, 'Cohort 1', g.channel_id, g.post_time, g.time_zone, coalesce(g.window_hours, 24), coalesce(g.days, 'every'),
       coalesce(g.paused, false), g.paused_reason, g.pause_notice_at, g.starts_on, coalesce(g.remind_hours, 3), now(),
       coalesce(g.updated_at, now())
FROM (
  SELECT guild_id FROM guild_settings
  UNION SELECT guild_id FROM prompts
  UNION SELECT guild_id FROM answers
  UNION SELECT guild_id FROM points_ledger
  UNION SELECT guild_id FROM score_totals
  UNION SELECT guild_id FROM reminder_preferences
) ids
LEFT JOIN guild_settings g ON g.guild_id = ids.guild_id
ORDER BY ids.guild_id;
--> statement-breakpoint
UPDATE prompts t SET cohort_id = c.id FROM cohorts c WHERE c.guild_id = t.guild_id;
--> statement-breakpoint
UPDATE answers t SET cohort_id = c.id FROM cohorts c WHERE c.guild_id = t.guild_id;
--> statement-breakpoint
UPDATE points_ledger t SET cohort_id = c.id FROM cohorts c WHERE c.guild_id = t.guild_id;
--> statement-breakpoint
UPDATE score_totals t SET cohort_id = c.id FROM cohorts c WHERE c.guild_id = t.guild_id;
--> statement-breakpoint
UPDATE reminder_preferences t SET cohort_id = c.id FROM cohorts c WHERE c.guild_id = t.guild_id;
--> statement-breakpoint
-- Running totals are per cohort now, in the cohort's time zone (the migrated cohort has the guild's zone).
CREATE OR REPLACE FUNCTION add_ledger_rows_to_score_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO score_totals (guild_id, cohort_id, period, user_id, points, reached_at)
  SELECT n.guild_id, n.cohort_id, k.period, n.user_id, sum(n.points), max(n.created_at) FILTER (WHERE n.points <> 0)
  FROM new_rows n
  JOIN cohorts c ON c.id = n.cohort_id
  CROSS JOIN LATERAL unnest(score_period_keys(n.created_at, coalesce(c.time_zone, 'UTC'))) AS k(period)
  GROUP BY n.guild_id, n.cohort_id, k.period, n.user_id
  -- A fixed order takes row locks in the same order in every transaction, so concurrent inserts cannot deadlock.
  ORDER BY 2, 3, 4
  ON CONFLICT (cohort_id, period, user_id) DO UPDATE SET
    points = score_totals.points + excluded.points,
    reached_at = CASE WHEN excluded.reached_at IS NULL THEN score_totals.reached_at
                      ELSE greatest(score_totals.reached_at, excluded.reached_at) END;
  RETURN NULL;
END
$$;
--> statement-breakpoint
DROP FUNCTION rebuild_score_totals(text);
--> statement-breakpoint
-- Recomputes a cohort's totals from its ledger, for when its time zone (and so its weeks and months) changes.
CREATE FUNCTION rebuild_score_totals(target_cohort integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM score_totals WHERE cohort_id = target_cohort;
  INSERT INTO score_totals (guild_id, cohort_id, period, user_id, points, reached_at)
  SELECT l.guild_id, l.cohort_id, k.period, l.user_id, sum(l.points), max(l.created_at) FILTER (WHERE l.points <> 0)
  FROM points_ledger l
  JOIN cohorts c ON c.id = l.cohort_id
  CROSS JOIN LATERAL unnest(score_period_keys(l.created_at, coalesce(c.time_zone, 'UTC'))) AS k(period)
  WHERE l.cohort_id = target_cohort
  GROUP BY l.guild_id, l.cohort_id, k.period, l.user_id;
END
$$;

ALTER TABLE "prompts" DROP CONSTRAINT "prompts_daily_once";--> statement-breakpoint
DROP INDEX "ledger_guild_time";--> statement-breakpoint
DROP INDEX "ledger_guild_user";--> statement-breakpoint
DROP INDEX "prompts_guild_kind";--> statement-breakpoint
DROP INDEX "reminder_preferences_enabled";--> statement-breakpoint
DROP INDEX "score_totals_rank";--> statement-breakpoint
ALTER TABLE "reminder_preferences" DROP CONSTRAINT "reminder_preferences_guild_id_user_id_pk";--> statement-breakpoint
ALTER TABLE "score_totals" DROP CONSTRAINT "score_totals_guild_id_period_user_id_pk";--> statement-breakpoint
ALTER TABLE "answers" ALTER COLUMN "cohort_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "points_ledger" ALTER COLUMN "cohort_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "prompts" ALTER COLUMN "cohort_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "reminder_preferences" ALTER COLUMN "cohort_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "score_totals" ALTER COLUMN "cohort_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "reminder_preferences" ADD CONSTRAINT "reminder_preferences_cohort_id_user_id_pk" PRIMARY KEY("cohort_id","user_id");--> statement-breakpoint
ALTER TABLE "score_totals" ADD CONSTRAINT "score_totals_cohort_id_period_user_id_pk" PRIMARY KEY("cohort_id","period","user_id");--> statement-breakpoint
CREATE INDEX "answers_cohort_review_or_regrade" ON "answers" USING btree ("cohort_id","id") WHERE not "answers"."graded" or "answers"."regrade_open";--> statement-breakpoint
CREATE INDEX "answers_cohort_user" ON "answers" USING btree ("cohort_id","user_id");--> statement-breakpoint
CREATE INDEX "ledger_cohort_user" ON "points_ledger" USING btree ("cohort_id","user_id","created_at");--> statement-breakpoint
CREATE INDEX "prompts_cohort_kind" ON "prompts" USING btree ("cohort_id","kind","id");--> statement-breakpoint
CREATE INDEX "reminder_preferences_enabled" ON "reminder_preferences" USING btree ("cohort_id") WHERE "reminder_preferences"."enabled";--> statement-breakpoint
CREATE INDEX "score_totals_rank" ON "score_totals" USING btree ("cohort_id","period","points" DESC NULLS LAST,"reached_at","user_id");--> statement-breakpoint
ALTER TABLE "guild_settings" DROP COLUMN "channel_id";--> statement-breakpoint
ALTER TABLE "guild_settings" DROP COLUMN "post_time";--> statement-breakpoint
ALTER TABLE "guild_settings" DROP COLUMN "time_zone";--> statement-breakpoint
ALTER TABLE "guild_settings" DROP COLUMN "window_hours";--> statement-breakpoint
ALTER TABLE "guild_settings" DROP COLUMN "days";--> statement-breakpoint
ALTER TABLE "guild_settings" DROP COLUMN "paused";--> statement-breakpoint
ALTER TABLE "guild_settings" DROP COLUMN "paused_reason";--> statement-breakpoint
ALTER TABLE "guild_settings" DROP COLUMN "pause_notice_at";--> statement-breakpoint
ALTER TABLE "guild_settings" DROP COLUMN "starts_on";--> statement-breakpoint
ALTER TABLE "guild_settings" DROP COLUMN "remind_hours";--> statement-breakpoint
ALTER TABLE "prompts" ADD CONSTRAINT "prompts_daily_once" UNIQUE("cohort_id","local_date");
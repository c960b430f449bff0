CREATE TABLE "cohorts" (
	"id" serial PRIMARY KEY NOT NULL,
	"guild_id" text NOT NULL,
	"name" text NOT NULL,
	"channel_id" text,
	"student_role_id" text,
	"instructor_role_id" text,
	"post_time" text,
	"time_zone" text,
	"window_hours" integer DEFAULT 24 NOT NULL,
	"days" text DEFAULT 'every' NOT NULL,
	"paused" boolean DEFAULT false NOT NULL,
	"paused_reason" text,
	"pause_notice_at" timestamp with time zone,
	"starts_on" text,
	"remind_hours" integer DEFAULT 3 NOT NULL,
	"topics" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"removed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "answers" ADD COLUMN "cohort_id" integer;--> statement-breakpoint
ALTER TABLE "points_ledger" ADD COLUMN "cohort_id" integer;--> statement-breakpoint
ALTER TABLE "prompts" ADD COLUMN "cohort_id" integer;--> statement-breakpoint
ALTER TABLE "reminder_preferences" ADD COLUMN "cohort_id" integer;--> statement-breakpoint
ALTER TABLE "score_totals" ADD COLUMN "cohort_id" integer;--> statement-breakpoint
CREATE UNIQUE INDEX "cohorts_guild_name" ON "cohorts" USING btree ("guild_id",lower("name")) WHERE "cohorts"."removed_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "cohorts_guild_channel" ON "cohorts" USING btree ("guild_id","channel_id") WHERE "cohorts"."removed_at" is null;--> statement-breakpoint
CREATE INDEX "cohorts_guild" ON "cohorts" USING btree ("guild_id","id");--> statement-breakpoint
ALTER TABLE "answers" ADD CONSTRAINT "answers_cohort_id_cohorts_id_fk" FOREIGN KEY ("cohort_id") REFERENCES "public"."cohorts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_ledger" ADD CONSTRAINT "points_ledger_cohort_id_cohorts_id_fk" FOREIGN KEY ("cohort_id") REFERENCES "public"."cohorts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prompts" ADD CONSTRAINT "prompts_cohort_id_cohorts_id_fk" FOREIGN KEY ("cohort_id") REFERENCES "public"."cohorts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reminder_preferences" ADD CONSTRAINT "reminder_preferences_cohort_id_cohorts_id_fk" FOREIGN KEY ("cohort_id") REFERENCES "public"."cohorts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_totals" ADD CONSTRAINT "score_totals_cohort_id_cohorts_id_fk" FOREIGN KEY ("cohort_id") REFERENCES "public"."cohorts"("id") ON DELETE no action ON UPDATE no action;
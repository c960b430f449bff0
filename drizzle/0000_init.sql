CREATE TABLE "answers" (
	"id" serial PRIMARY KEY NOT NULL,
	"prompt_id" integer NOT NULL,
	"guild_id" text NOT NULL,
	"question_id" integer NOT NULL,
	"kind" text NOT NULL,
	"user_id" text NOT NULL,
	"user_name" text NOT NULL,
	"body" text NOT NULL,
	"suggested_grade" text,
	"matched_points" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"missing_points" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"misconceptions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"first_for_question" boolean NOT NULL,
	"starred" boolean DEFAULT false NOT NULL,
	"graded" boolean DEFAULT false NOT NULL,
	"feedback_draft" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "answers_once_per_prompt" UNIQUE("prompt_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "grades" (
	"answer_id" integer PRIMARY KEY NOT NULL,
	"guild_id" text NOT NULL,
	"grade" text NOT NULL,
	"grader_id" text NOT NULL,
	"feedback" text,
	"graded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"notified_at" timestamp with time zone,
	"seen_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "guild_settings" (
	"guild_id" text PRIMARY KEY NOT NULL,
	"channel_id" text,
	"post_time" text,
	"time_zone" text,
	"window_hours" integer DEFAULT 24 NOT NULL,
	"days" text DEFAULT 'every' NOT NULL,
	"paused" boolean DEFAULT false NOT NULL,
	"starts_on" text,
	"instructor_role_id" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "points_ledger" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"guild_id" text NOT NULL,
	"user_id" text NOT NULL,
	"answer_id" integer,
	"reason" text NOT NULL,
	"points" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "prompts" (
	"id" serial PRIMARY KEY NOT NULL,
	"guild_id" text NOT NULL,
	"question_id" integer NOT NULL,
	"kind" text NOT NULL,
	"user_id" text,
	"local_date" text,
	"channel_id" text,
	"message_id" text,
	"claimed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"posted_at" timestamp with time zone,
	"closes_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"reveal_message_id" text,
	"reveal_claimed_at" timestamp with time zone,
	CONSTRAINT "prompts_daily_once" UNIQUE("guild_id","local_date"),
	CONSTRAINT "prompts_kind_shape" CHECK (("prompts"."kind" = 'daily') = ("prompts"."local_date" is not null))
);
--> statement-breakpoint
CREATE TABLE "questions" (
	"id" serial PRIMARY KEY NOT NULL,
	"guild_id" text,
	"slug" text NOT NULL,
	"topic" text NOT NULL,
	"text" text NOT NULL,
	"reference_answer" text,
	"rubric" jsonb,
	"position" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"imported" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "questions_guild_slug" UNIQUE NULLS NOT DISTINCT("guild_id","slug")
);
--> statement-breakpoint
CREATE TABLE "score_totals" (
	"guild_id" text NOT NULL,
	"period" text NOT NULL,
	"user_id" text NOT NULL,
	"points" integer NOT NULL,
	"reached_at" timestamp with time zone,
	CONSTRAINT "score_totals_guild_id_period_user_id_pk" PRIMARY KEY("guild_id","period","user_id")
);
--> statement-breakpoint
CREATE TABLE "study_cards" (
	"guild_id" text NOT NULL,
	"user_id" text NOT NULL,
	"question_id" integer NOT NULL,
	"card" jsonb,
	"due" timestamp with time zone,
	"last_answered_at" timestamp with time zone NOT NULL,
	CONSTRAINT "study_cards_guild_id_user_id_question_id_pk" PRIMARY KEY("guild_id","user_id","question_id")
);
--> statement-breakpoint
ALTER TABLE "answers" ADD CONSTRAINT "answers_prompt_id_prompts_id_fk" FOREIGN KEY ("prompt_id") REFERENCES "public"."prompts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "answers" ADD CONSTRAINT "answers_question_id_questions_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."questions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "grades" ADD CONSTRAINT "grades_answer_id_answers_id_fk" FOREIGN KEY ("answer_id") REFERENCES "public"."answers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "points_ledger" ADD CONSTRAINT "points_ledger_answer_id_answers_id_fk" FOREIGN KEY ("answer_id") REFERENCES "public"."answers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prompts" ADD CONSTRAINT "prompts_question_id_questions_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."questions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "study_cards" ADD CONSTRAINT "study_cards_question_id_questions_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."questions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "answers_first_once" ON "answers" USING btree ("guild_id","user_id","question_id") WHERE "answers"."first_for_question";--> statement-breakpoint
CREATE INDEX "answers_guild_user" ON "answers" USING btree ("guild_id","user_id","question_id");--> statement-breakpoint
CREATE INDEX "answers_guild_question" ON "answers" USING btree ("guild_id","question_id");--> statement-breakpoint
CREATE INDEX "answers_guild_id" ON "answers" USING btree ("guild_id","id");--> statement-breakpoint
CREATE INDEX "answers_review_queue" ON "answers" USING btree ("guild_id","id") WHERE not "answers"."graded";--> statement-breakpoint
CREATE INDEX "grades_guild" ON "grades" USING btree ("guild_id");--> statement-breakpoint
CREATE INDEX "ledger_guild_time" ON "points_ledger" USING btree ("guild_id","created_at","user_id","points");--> statement-breakpoint
CREATE INDEX "ledger_guild_user" ON "points_ledger" USING btree ("guild_id","user_id");--> statement-breakpoint
CREATE INDEX "ledger_answer" ON "points_ledger" USING btree ("answer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_one_answer_point" ON "points_ledger" USING btree ("answer_id") WHERE "points_ledger"."reason" = 'daily_answer';--> statement-breakpoint
CREATE INDEX "prompts_guild_kind" ON "prompts" USING btree ("guild_id","kind","id");--> statement-breakpoint
CREATE INDEX "prompts_user_practice" ON "prompts" USING btree ("guild_id","user_id","id");--> statement-breakpoint
CREATE INDEX "prompts_open_daily" ON "prompts" USING btree ("closes_at") WHERE "prompts"."kind" = 'daily' and "prompts"."closed_at" is null;--> statement-breakpoint
CREATE INDEX "score_totals_rank" ON "score_totals" USING btree ("guild_id","period","points" DESC NULLS LAST,"reached_at","user_id");
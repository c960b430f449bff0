CREATE TABLE "answer_versions" (
	"answer_id" integer NOT NULL,
	"version" integer NOT NULL,
	"guild_id" text NOT NULL,
	"body" text NOT NULL,
	"suggested_grade" text,
	"submitted_at" timestamp with time zone NOT NULL,
	"replaced_at" timestamp with time zone NOT NULL,
	CONSTRAINT "answer_versions_answer_id_version_pk" PRIMARY KEY("answer_id","version")
);
--> statement-breakpoint
CREATE TABLE "regrade_requests" (
	"id" serial PRIMARY KEY NOT NULL,
	"answer_id" integer NOT NULL,
	"guild_id" text NOT NULL,
	"user_id" text NOT NULL,
	"reason" text NOT NULL,
	"grade" text NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" text,
	"outcome" text,
	"new_grade" text,
	"comment" text,
	"notified_at" timestamp with time zone,
	"seen_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "answers" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "answers" ADD COLUMN "edited_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "answers" ADD COLUMN "regrade_open" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "answer_versions" ADD CONSTRAINT "answer_versions_answer_id_answers_id_fk" FOREIGN KEY ("answer_id") REFERENCES "public"."answers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "regrade_requests" ADD CONSTRAINT "regrade_requests_answer_id_answers_id_fk" FOREIGN KEY ("answer_id") REFERENCES "public"."answers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "regrade_one_open" ON "regrade_requests" USING btree ("answer_id") WHERE "regrade_requests"."decided_at" is null;--> statement-breakpoint
CREATE INDEX "regrade_requests_answer" ON "regrade_requests" USING btree ("answer_id","id");--> statement-breakpoint
CREATE INDEX "regrade_requests_student" ON "regrade_requests" USING btree ("guild_id","user_id");--> statement-breakpoint
CREATE INDEX "answers_review_or_regrade" ON "answers" USING btree ("guild_id","id") WHERE not "answers"."graded" or "answers"."regrade_open";--> statement-breakpoint
CREATE INDEX "answers_regrade_open" ON "answers" USING btree ("guild_id","id") WHERE "answers"."regrade_open";
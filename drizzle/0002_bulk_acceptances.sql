CREATE TABLE "bulk_acceptances" (
	"id" serial PRIMARY KEY NOT NULL,
	"guild_id" text NOT NULL,
	"question_id" integer NOT NULL,
	"instructor_id" text NOT NULL,
	"items" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"confirmed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "bulk_acceptances" ADD CONSTRAINT "bulk_acceptances_question_id_questions_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."questions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bulk_acceptances_guild" ON "bulk_acceptances" USING btree ("guild_id","id");
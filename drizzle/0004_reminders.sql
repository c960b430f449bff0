CREATE TABLE "daily_reminders" (
	"prompt_id" integer PRIMARY KEY NOT NULL,
	"guild_id" text NOT NULL,
	"recipients" jsonb NOT NULL,
	"claimed_at" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 1 NOT NULL,
	"channel_parts_done" integer DEFAULT 0 NOT NULL,
	"dms_done" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"dms_refused" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "reminder_preferences" (
	"guild_id" text NOT NULL,
	"user_id" text NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"delivery" text DEFAULT 'channel' NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reminder_preferences_guild_id_user_id_pk" PRIMARY KEY("guild_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "guild_settings" ADD COLUMN "remind_hours" integer DEFAULT 3 NOT NULL;--> statement-breakpoint
ALTER TABLE "daily_reminders" ADD CONSTRAINT "daily_reminders_prompt_id_prompts_id_fk" FOREIGN KEY ("prompt_id") REFERENCES "public"."prompts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "reminder_preferences_enabled" ON "reminder_preferences" USING btree ("guild_id") WHERE "reminder_preferences"."enabled";
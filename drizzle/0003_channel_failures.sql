ALTER TABLE "guild_settings" ADD COLUMN "paused_reason" text;--> statement-breakpoint
ALTER TABLE "guild_settings" ADD COLUMN "pause_notice_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "prompts" ADD COLUMN "post_attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "prompts" ADD COLUMN "reveal_attempts" integer DEFAULT 0 NOT NULL;
-- AlterTable (existing records get a token of their own, so the column can be NOT NULL)
ALTER TABLE "idempotency_records" ADD COLUMN     "claim_token" UUID NOT NULL DEFAULT gen_random_uuid();
ALTER TABLE "idempotency_records" ALTER COLUMN "claim_token" DROP DEFAULT;

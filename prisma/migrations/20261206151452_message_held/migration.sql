-- AlterEnum
ALTER TYPE "message_status" ADD VALUE 'held';

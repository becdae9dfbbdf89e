// Used only by `prisma generate` (see package.json). Migrations never go through the Prisma
// CLI: it needs a native engine that cannot be downloaded everywhere; src/db/migrations.ts
// drives Prisma's WebAssembly schema engine instead.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});

import { z } from 'zod';
import { UserRole } from '../../generated/prisma/enums.js';

export const memberParamsSchema = z.object({ id: z.uuid(), userId: z.uuid() });

export const memberSchema = z
  .object({
    userId: z.uuid(),
    name: z.string(),
    email: z.string(),
    role: z.enum(UserRole),
    active: z.boolean().describe('False once the person is deactivated: the membership stays as history but grants nothing.'),
    addedBy: z.string().describe('Who added them: `user:<id>` or `api_key:<id>`.'),
    addedAt: z.date(),
  })
  .meta({ id: 'RequisitionMember' });

export const memberListSchema = z.object({ data: z.array(memberSchema) }).meta({ id: 'RequisitionMemberList' });

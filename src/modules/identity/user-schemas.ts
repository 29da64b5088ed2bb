import { z } from 'zod';
import { minPasswordLength } from './passwords.ts';
import { roles } from './roles.ts';

export const roleSchema = z.enum(roles);

export const createUserInput = z.object({
  email: z.email().transform((e) => e.trim().toLowerCase()),
  name: z.string().trim().min(1).max(200),
  roles: z.array(roleSchema).min(1),
  account_id: z.string().trim().min(1).nullish(),
  password: z.string().min(minPasswordLength).max(200).optional(),
});
export type CreateUserInput = z.input<typeof createUserInput>;

export const updateUserInput = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  roles: z.array(roleSchema).min(1).optional(),
  active: z.boolean().optional(),
  account_id: z.string().trim().min(1).nullish(),
});
export type UpdateUserInput = z.input<typeof updateUserInput>;

export const changePasswordInput = z.object({
  current_password: z.string().min(1),
  new_password: z.string().min(minPasswordLength).max(200),
});

export const userOutput = z.object({
  user_id: z.string(),
  email: z.string(),
  name: z.string(),
  roles: z.array(z.string()),
  account_id: z.string().nullable(),
  account_name: z.string().nullable(),
  active: z.boolean(),
  created_at: z.date(),
  last_sign_in_at: z.date().nullable(),
  locale: z.string().nullable(),
});

import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../ui/api';
import type { User } from './user';

export interface NewUser {
  email: string;
  name: string;
  roles: string[];
  account_id?: string;
  password?: string;
}

export type UserChanges = Partial<Pick<User, 'name' | 'roles' | 'active' | 'account_id'>>;

export const usersQuery = queryOptions({
  queryKey: ['users'],
  queryFn: ({ signal }) => api<{ items: User[] }>('/api/users', { signal }).then((body) => body.items),
});

export function useUsers() {
  return useQuery(usersQuery);
}

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NewUser) =>
      api<{ user: User; password?: string }>('/api/users', { method: 'POST', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
}

export function useUpdateUser(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UserChanges) =>
      api<{ user: User }>(`/api/users/${encodeURIComponent(userId)}`, { method: 'PATCH', body }).then(
        (result) => result.user,
      ),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['users'] }),
        queryClient.invalidateQueries({ queryKey: ['audit', 'user', userId] }),
      ]),
  });
}

export function useResetPassword(userId: string) {
  return useMutation({
    mutationFn: () =>
      api<{ password: string }>(`/api/users/${encodeURIComponent(userId)}/reset-password`, {
        method: 'POST',
      }).then((result) => result.password),
  });
}

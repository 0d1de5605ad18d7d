export { UsersPanel, type UsersPanelProps } from './UsersPanel';
export { usersApi, type UsersApi } from './api';
export { useUsers } from './useUsers';

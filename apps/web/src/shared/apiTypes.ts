/*
 * The shape of the client's transport as a feature's API factory receives it (see api/client.ts): the JSON request, the
 * file download and the query-string builder, all with the session's token and the same errors (ApiError).
 */

export type RequestFn = <T>(method: string, path: string, init?: { body?: unknown; headers?: Record<string, string>; auth?: boolean; signal?: AbortSignal }) => Promise<T>;
export type DownloadFn = (path: string) => Promise<{ blob: Blob; disposition: string | null }>;
export type QueryFn = (params: Record<string, string | number | undefined | null>) => string;

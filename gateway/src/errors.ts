/**
 * Errors the gateway answers with. Every error response has the body `{"error": "..."}` and the
 * status carried here; messages are written for the client and never echo secrets.
 */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';

  constructor(
    readonly statusCode: number,
    message: string,
    /** Extra response headers, e.g. Retry-After. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new GatewayError(400, message);
export const unauthorized = (message: string) =>
  new GatewayError(401, message, { 'www-authenticate': 'Bearer realm="gateway"' });
export const forbidden = (message: string) => new GatewayError(403, message);
export const notFound = (message: string) => new GatewayError(404, message);
export const unsupportedMediaType = (message: string) => new GatewayError(415, message);
export const badGateway = (message: string) => new GatewayError(502, message);
export const serviceUnavailable = (message: string, retryAfterSeconds?: number) =>
  new GatewayError(
    503,
    message,
    retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) },
  );
export const gatewayTimeout = (message: string) => new GatewayError(504, message);

/** The JSON schema of every error body, shared by the route schemas and the OpenAPI document. */
export const errorBodySchema = {
  $id: 'GatewayError',
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'string' } },
} as const;

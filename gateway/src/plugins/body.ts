import { badRequest, unsupportedMediaType } from '../errors';
import { JsonShapeError, parseTfServingJson } from '../json';
import { globalPlugin } from './plugin';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request body exactly as received; forwarded upstream unchanged. */
    rawBody: Buffer | undefined;
  }
}

/**
 * Bodies are JSON only. The parser accepts TF Serving's NaN / Infinity literals, rejects
 * prototype-poisoning keys, and keeps the raw bytes so the upstream receives what the client
 * sent, not a re-serialisation (which would turn NaN into null).
 */
export const bodyPlugin = globalPlugin(async (app) => {
  app.decorateRequest('rawBody', undefined);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body: Buffer, done) => {
    request.rawBody = body;
    // The body is read as UTF-8 (JSON's only interchange encoding); another charset would be misread.
    const charset = charsetOf(request.headers['content-type']);
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      done(unsupportedMediaType('content-type charset must be utf-8'), undefined);
      return;
    }
    if (body.length === 0) {
      done(badRequest('request body is empty'), undefined);
      return;
    }
    try {
      done(null, parseTfServingJson(body.toString('utf8')));
    } catch (error) {
      done(
        badRequest(error instanceof JsonShapeError ? error.message : 'request body is not valid JSON'),
        undefined,
      );
    }
  });
  // Anything else with a body is refused before it reaches a handler.
  app.addContentTypeParser('*', (_request, _payload, done) => {
    done(unsupportedMediaType('content-type must be application/json'), undefined);
  });
});

/** The charset parameter of a content type, lower-cased, or undefined when there is none. */
export function charsetOf(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return match?.[1].toLowerCase();
}

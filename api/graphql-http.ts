import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import express from 'express';
import { errorBody, refuseNonJsonBody, sendHttpError } from './errors.js';
import { refuseLongDocument, type QueryLimits } from './limits.js';

type Request = IncomingMessage & { body?: unknown };

/** The path a request asks for and its query string ('' or '?…'). */
function split(url: string | undefined): { path: string; search: string } {
  const at = url?.indexOf('?') ?? -1;
  return at < 0 ? { path: url ?? '/', search: '' } : { path: url!.slice(0, at), search: url!.slice(at) };
}

/**
 * GraphQL over HTTP on Node's own request and response: JSON bodies only, read up to `maxBodyBytes`; documents over
 * the token limit refused before parsing; then Apollo. Every refusal is JSON with a typed code (api/errors.ts).
 *
 * The server hands POST /graphql here straight from Node's `request` event (`isGraphqlPost`): the API's hot path
 * goes through no router. Express mounts the same handler for the rest of /graphql (GET queries once the IDE has
 * declined them, other methods, sub-paths), so both ways in behave alike.
 */
export function graphqlOverHttp<T extends BaseContext>(apollo: ApolloServer<T>, limits: QueryLimits, context: (req: IncomingMessage) => Promise<T>) {
  // body-parser's JSON reader, as Express runs it: size limit, content encodings, charsets, strict JSON.
  const readJson = express.json({ limit: limits.maxBodyBytes });
  const readBody = (req: Request, res: ServerResponse) =>
    new Promise<void>((resolve, reject) => readJson(req as express.Request, res as express.Response, (error?: unknown) => (error ? reject(error) : resolve())));

  return async (req: Request, res: ServerResponse): Promise<void> => {
    try {
      const method = (req.method ?? 'GET').toUpperCase();
      if (method === 'POST') {
        if (refuseNonJsonBody(req, res)) return;
        await readBody(req, res);
      }
      const { search } = split(req.url);
      const source = method === 'GET' ? new URLSearchParams(search).get('query') : (req.body as { query?: unknown } | undefined)?.query;
      if (refuseLongDocument(res, source, limits)) return;

      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method, headers, search, body: req.body },
        context: () => context(req),
      });
      for (const [key, value] of response.headers) res.setHeader(key, value);
      res.statusCode = response.status ?? 200;
      if (response.body.kind === 'complete') {
        res.end(response.body.string);
        return;
      }
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    } catch (error) {
      if (res.headersSent) {
        res.destroy(error instanceof Error ? error : undefined);
        return;
      }
      sendHttpError(res, error, limits.maxBodyBytes);
    }
  };
}

/** Whether Node's request is POST /graphql (with or without a query string), which skips Express. */
export function isGraphqlPost(req: IncomingMessage): boolean {
  return req.method === 'POST' && split(req.url).path === '/graphql';
}

/** Node's own refusals of what is not HTTP it can read, which it answers before any handler runs. */
const CLIENT_ERRORS: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'the request headers are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'the request took too long to arrive'],
};

/**
 * The server's `clientError` listener: a request Node cannot parse (a malformed chunk, headers over its limit, a
 * request that never finished arriving) gets the API's typed JSON error instead of Node's bare status line; a
 * connection the client already dropped is only closed.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  // A response already under way on this connection (pipelining) cannot be followed by another status line.
  const answering = (socket as Duplex & { _httpMessage?: ServerResponse })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || answering?.headersSent) {
    socket.destroy();
    return;
  }
  const [status, message] = CLIENT_ERRORS[error.code ?? ''] ?? [400, 'the request is not HTTP the server can read'];
  const body = errorBody('BAD_USER_INPUT', message);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

import ExcelJS from 'exceljs';
import type { RequestHandler } from 'express';
import { GraphQLError } from 'graphql';
import { DISPATCH_COLUMNS } from '../../domain/hazard-campaign.js';
import { logger } from '../../infra/logger.js';
import { createContext, type ApiDeps, type Principals } from '../context.js';
import { mapError, sendError, type ApiErrorCode } from '../errors.js';
import { dispatchTable } from './hazard-circular.service.js';
import type { HazardDispatchRowType, HazardDispatchTableType } from './hazard-circular.type.js';

const log = logger('api.hazard-dispatch');

/** The route: GET /downloads/hazard-dispatch/<regionCode>/<year>/Q<quarter>.xlsx|.csv */
export const HAZARD_DISPATCH_ROUTE = '/downloads/hazard-dispatch/:regionCode/:year/:file';

const STATUS: Partial<Record<ApiErrorCode, number>> = { BAD_USER_INPUT: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, SERVICE_UNAVAILABLE: 503 };

const title = (t: HazardDispatchTableType): string =>
  `${t.regionName}重大事故隐患排查整治调度表（${t.year}年第${t.quarter}季度，${t.countedFrom}至${t.inProgress ? t.asOf.toISOString().slice(0, 10) : t.endsOn}）`;

const cells = (r: HazardDispatchRowType): (string | number | null)[] => [
  r.sectorName,
  r.leadDepartments.join('、'),
  r.found,
  r.rectified,
  r.overdue,
  r.rectificationRate ?? null,
  Number(r.fundsYuan),
];

/** The dispatch table as a workbook: a title row, the column heads, the twelve sectors and the total. */
export async function dispatchWorkbook(t: HazardDispatchTableType): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Bihuan';
  const sheet = workbook.addWorksheet('调度表');
  sheet.addRow([title(t)]).font = { bold: true };
  sheet.mergeCells(1, 1, 1, DISPATCH_COLUMNS.length);
  sheet.addRow([...DISPATCH_COLUMNS]).font = { bold: true };
  for (const row of [...t.rows, t.total]) sheet.addRow(cells(row));
  sheet.getRow(2 + t.rows.length + 1).font = { bold: true };
  sheet.getColumn(1).width = 20;
  sheet.getColumn(2).width = 40;
  for (const c of [3, 4, 5]) sheet.getColumn(c).width = 14;
  sheet.getColumn(6).numFmt = '0.00%';
  sheet.getColumn(6).width = 10;
  sheet.getColumn(7).numFmt = '#,##0.00';
  sheet.getColumn(7).width = 18;
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const csvField = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** The dispatch table as CSV (UTF-8 with a BOM, so Excel reads the Chinese text; CRLF lines; the rate in percent). */
export function dispatchCsv(t: HazardDispatchTableType): string {
  const lines = [
    [...DISPATCH_COLUMNS],
    ...[...t.rows, t.total].map((r) => [
      r.sectorName,
      r.leadDepartments.join('、'),
      String(r.found),
      String(r.rectified),
      String(r.overdue),
      r.rectificationRate == null ? '' : `${(r.rectificationRate * 100).toFixed(2)}%`,
      r.fundsYuan,
    ]),
  ];
  return `\uFEFF${lines.map((line) => line.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/**
 * Downloads of a region's dispatch table, with the bearer token and the same rule as `hazardDispatchTable`
 * (READ_HAZARD_CIRCULARS); refusals are the GraphQL error shape with their code and HTTP status.
 */
export function hazardDispatchDownload(deps: ApiDeps, principals: Principals): RequestHandler {
  return async (req, res) => {
    try {
      const match = /^Q([1-4])\.(xlsx|csv)$/.exec(String(req.params.file));
      if (!match) return sendError(res, 400, 'BAD_USER_INPUT', 'the file must be Q1 to Q4 with .xlsx or .csv', { field: 'quarter' });
      const year = /^\d{4}$/.test(String(req.params.year)) ? Number(req.params.year) : Number.NaN;
      const ctx = await createContext(deps, req.headers, principals);
      const table = await dispatchTable(ctx, { regionCode: String(req.params.regionCode), year, quarter: Number(match[1]) });
      const name = `hazard-dispatch-${table.regionCode}-${table.year}-Q${table.quarter}.${match[2]}`;
      const chinese = `${table.regionName}调度表${table.year}年第${table.quarter}季度.${match[2]}`;
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Content-Disposition', `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(chinese)}`);
      if (match[2] === 'csv') {
        res.type('text/csv; charset=utf-8').send(dispatchCsv(table));
      } else {
        res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await dispatchWorkbook(table));
      }
    } catch (error) {
      if (error instanceof GraphQLError) {
        const code = String(error.extensions.code ?? 'INTERNAL_SERVER_ERROR') as ApiErrorCode;
        return sendError(res, STATUS[code] ?? 500, code, error.message);
      }
      const mapped = mapError(error);
      if (mapped) return sendError(res, STATUS[mapped.code] ?? 400, mapped.code, mapped.message, mapped.field ? { field: mapped.field } : {});
      log.error({ err: error }, 'dispatch table download failed');
      sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'internal error');
    }
  };
}

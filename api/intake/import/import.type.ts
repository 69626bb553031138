import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DOMAIN_ERROR_CODES, type DomainErrorCode } from '../../../domain/errors.js';
import { IMPORT_FORMATS, type ImportFormat } from './import-file.js';

/** Decoded bytes one upload may carry: its base64 (4/3 larger) must fit the API's 2 MB request body. */
export const MAX_UPLOAD_BYTES = 1_400_000;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

// graphql-js keeps a scalar's error extensions on the variable or literal error it reports: BAD_USER_INPUT on `file`.
const badInput = (field: string, message: string) => new GraphQLError(`${field}: ${message}`, { extensions: { code: 'BAD_USER_INPUT', field } });

/** A file's bytes from base64 text; a `data:…;base64,` prefix (what FileReader.readAsDataURL gives) is allowed. */
export function decodeBase64File(value: unknown): Buffer {
  if (typeof value !== 'string') throw badInput('file', 'must be the file\'s bytes in base64');
  const text = value.replace(/^data:[^,]{0,200};base64,/, '').replace(/\s+/g, '');
  if (!BASE64.test(text) || text.length % 4 === 1) throw badInput('file', 'must be the file\'s bytes in base64 (A-Z a-z 0-9 + /, padded with =)');
  if ((text.length * 3) / 4 > MAX_UPLOAD_BYTES + 3) {
    throw badInput('file', `is over ${MAX_UPLOAD_BYTES} bytes: split it into several files, or import it with npm run import:cases`);
  }
  return Buffer.from(text, 'base64');
}

/**
 * A file in base64. The scalar checks its own text (the alphabet and the size), so the API's general text
 * check (api/validation.ts), whose length cap is for prose, leaves variables of this type to it.
 */
export const Base64FileScalar = new GraphQLScalarType<Buffer, string>({
  name: 'Base64File',
  description: `A file's bytes in base64 (RFC 4648; a data: URL prefix is allowed), at most ${MAX_UPLOAD_BYTES} bytes decoded. Send it as a variable`,
  serialize: (value) => (Buffer.isBuffer(value) ? value.toString('base64') : String(value)),
  parseValue: (value) => decodeBase64File(value),
  parseLiteral: (ast) => decodeBase64File(ast.kind === Kind.STRING ? ast.value : undefined),
});

export const ImportFormatEnum = Object.fromEntries(IMPORT_FORMATS.map((f) => [f, f])) as { [K in ImportFormat]: K };
registerEnumType(ImportFormatEnum, {
  name: 'ImportFormat',
  description: 'XLSX: sheets cases, measures, accountability (or 案件, 整改措施, 责任追究). CSV: one row a case, measures and accountability in columns',
});

export const ImportProblemCodeEnum = Object.fromEntries(DOMAIN_ERROR_CODES.map((c) => [c, c])) as { [K in DomainErrorCode]: K };
registerEnumType(ImportProblemCodeEnum, { name: 'ImportProblemCode', description: 'The code registerAccident would answer with for this row' });

@ObjectType('ImportProblem', { description: 'Why a row of an import file was refused, where the office sees it in Excel' })
export class ImportProblemType {
  @Field({ description: 'Sheet name (a CSV file has one: cases)' }) sheet!: string;
  @Field(() => Int, { description: 'Row number as Excel shows it (1 is the header row)' }) row!: number;
  @Field(() => String, { nullable: true, description: 'Column key (title, document_no, …), or null for the whole row' }) column!: string | null;
  @Field(() => String, { nullable: true, description: 'The field as registerAccident names it (investigation.report.documentNo)' }) field!: string | null;
  @Field(() => ImportProblemCodeEnum) code!: DomainErrorCode;
  @Field() message!: string;
}

@ObjectType('CaseImport', { description: 'What an import did (or, for a dry run, would do)' })
export class CaseImportType {
  @Field() dryRun!: boolean;
  @Field({ description: 'The file\'s cases are in the database. False for a dry run, and whenever a row was refused: then nothing was written' })
  committed!: boolean;

  @Field(() => Int, { description: 'Cases (rows of the cases sheet) in the file' }) rows!: number;
  @Field(() => Int, { description: 'New cases registered' }) registered!: number;
  @Field(() => Int, { description: 'Rows whose document number already held the same case (a file imported again)' }) alreadyRegistered!: number;
  @Field(() => Int, { description: 'Cases closed by the import (a closure date given): each has its evaluation' }) closed!: number;
  @Field(() => Int, { description: 'Cases that were already closed on the date the file gives' }) alreadyClosed!: number;
  @Field(() => Int, { description: 'Evaluation workflows started after the commit' }) workflowsStarted!: number;
  @Field(() => Int, { description: 'Evaluations whose workflow could not be started now: a worker starts them when it next starts' })
  workflowsPending!: number;

  @Field(() => Int, { description: 'All refusals; `problems` lists them in file order' }) problemCount!: number;
  problems!: ImportProblemType[];
}

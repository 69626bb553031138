import { Arg, Ctx, FieldResolver, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import type { ImportFormat } from './import-file.js';
import { importCases, startImportedEvaluations } from './import.service.js';
import { Base64FileScalar, CaseImportType, ImportFormatEnum, ImportProblemType, MAX_UPLOAD_BYTES } from './import.type.js';

@Resolver(() => CaseImportType)
export class ImportResolver {
  @Mutation(() => CaseImportType, {
    description:
      'Imports historical cases from an XLSX or CSV file (template: `npm run import:cases -- --template cases.xlsx`), each ' +
      'as registerAccident would register it, by an office allowed to register that case; a closure date closes it ' +
      'and starts its evaluation. All or nothing: a file with a refused row writes nothing, and `problems` names each ' +
      'row, column and reason. Importing a file again adds nothing (document numbers). `file` is the file in base64, ' +
      `at most ${MAX_UPLOAD_BYTES} bytes; larger files go through \`npm run import:cases\`. A file of 1,000 cases ` +
      'takes some seconds: the answer comes when it is done.',
  })
  async importCases(
    @Arg('file', () => Base64FileScalar) file: Buffer,
    @Arg('format', () => ImportFormatEnum) format: ImportFormat,
    @Ctx() ctx: Context,
    @Arg('dryRun', () => Boolean, { defaultValue: false, description: 'Check the file and answer with what an import would do; write nothing' }) dryRun: boolean,
  ): Promise<CaseImportType> {
    const result = await importCases(ctx.em, ctx.principal, file, format, { dryRun });
    const workflowsStarted = result.closedCases.length ? await startImportedEvaluations(ctx.em, ctx.temporal, ctx.taskQueue, result.closedCases) : 0;
    return {
      dryRun: result.dryRun,
      committed: result.committed,
      rows: result.rows,
      registered: result.registered,
      alreadyRegistered: result.alreadyRegistered,
      closed: result.closed,
      alreadyClosed: result.alreadyClosed,
      workflowsStarted,
      workflowsPending: result.closedCases.length - workflowsStarted,
      problemCount: result.problems.length,
      problems: result.problems,
    };
  }

  @FieldResolver(() => [ImportProblemType], { description: 'The refusals in file order (sheet, row), the first `first` of them' })
  problems(@Root() result: CaseImportType, @Arg('first', () => Int, { defaultValue: 200 }) first: number): ImportProblemType[] {
    return result.problems.slice(0, Math.max(0, first));
  }
}

// The campaign workflows take officials' actions the shared way (workflows/official-actions.ts), with the
// campaign's access table (`allowCampaign`) and its longer texts (reports).
import { allowCampaign, type CampaignOperation, type CampaignScope } from '../../domain/access.js';
import { CAPS } from '../../domain/caps.js';
import { handleOfficialActions as handle, principalOf, type OfficialActions } from '../official-actions.js';

export { retryLater } from '../official-actions.js';

interface Versioned {
  revision: number;
  stage: string;
}

type CampaignActions<S extends Versioned, A extends { type: string }> = Omit<OfficialActions<S, A>, 'subject' | 'allowed' | 'textMax'> & {
  scope: (state: S, action: A) => CampaignScope;
};

export function handleOfficialActions<S extends Versioned, A extends { type: string }>(o: CampaignActions<S, A>): void {
  const { scope, ...rest } = o;
  handle<S, A>({
    ...rest,
    subject: 'campaign',
    textMax: CAPS.reportSection,
    allowed: (actor, state, action) => allowCampaign(principalOf(actor), action.type as CampaignOperation, scope(state, action)),
  });
}

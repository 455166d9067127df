import type { BoardRuleResult } from '../../../shared/approvals/evaluation';
import { StatusBadge } from '../common/StatusBadge';
import { RULE_LOOK } from './approval-words';
import { OutsideText } from '../common/OutsideText';

/** Every rule of the board policy, met or not, in the evaluation's own words. */
export function RulesList({ rules }: { rules: readonly BoardRuleResult[] }) {
  return (
    <ul aria-label="Board rules" className="card-list">
      {rules.map((rule) => (
        <li key={rule.id} className="card">
          <div className="card-title">
            <StatusBadge look={RULE_LOOK[rule.met ? 'met' : 'not-met']} />
            <span><OutsideText text={rule.summary} /></span>
          </div>
          {rule.details.length > 0 && (
            <ul className="reasons">
              {rule.details.map((detail, index) => (
                <li key={index}><OutsideText text={detail} /></li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}

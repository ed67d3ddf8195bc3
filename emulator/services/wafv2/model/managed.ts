/**
 * The AWS managed rule groups the emulator offers. Capacities are the web
 * ACL capacity units (WCUs) AWS publishes for each group; the rules inside are
 * not evaluated.
 * https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html
 */
export interface ManagedRuleGroup {
  Name: string;
  Description: string;
  Capacity: number;
}

export const MANAGED_RULE_GROUPS: readonly ManagedRuleGroup[] = [
  {
    Name: 'AWSManagedRulesAmazonIpReputationList',
    Description: 'Blocks requests from addresses Amazon threat intelligence associates with bots and other threats.',
    Capacity: 25,
  },
  {
    Name: 'AWSManagedRulesAnonymousIpList',
    Description: 'Blocks requests from services that hide the viewer, such as VPNs, proxies, Tor and hosting providers.',
    Capacity: 50,
  },
  {
    Name: 'AWSManagedRulesCommonRuleSet',
    Description: 'General protection against common web exploits, including many of the OWASP Top 10.',
    Capacity: 700,
  },
  {
    Name: 'AWSManagedRulesKnownBadInputsRuleSet',
    Description: 'Blocks request patterns known to be invalid or to exploit vulnerabilities.',
    Capacity: 200,
  },
  {
    Name: 'AWSManagedRulesSQLiRuleSet',
    Description: 'Blocks request patterns associated with SQL injection.',
    Capacity: 200,
  },
];

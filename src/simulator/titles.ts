// How the simulated site titles a publication on a council's page: today's titles, and the older variants
// seen on real pages for older reports (../shared/docs/ofsted-site.md §2), so parsers meet them too.
import type { PublicationType } from '../letters/types.ts';

export function defaultTitle(type: PublicationType, publicationDate: string): string {
  switch (type) {
    case 'inspection':
      if (publicationDate < '2018-01-01') return "Single inspection of LA children's services as pdf";
      if (publicationDate < '2020-01-01') return "Children's services inspection,  pdf";
      return "Children's services inspection";
    case 'focused-visit':
      return "Children's services focused visit";
    case 'monitoring-visit':
      return 'Monitoring visit';
    case 'jtai':
      return 'Joint area child protection inspection';
    case 'send':
      return 'Area SEND full inspection';
    case 'other':
      return 'Other publication';
  }
}

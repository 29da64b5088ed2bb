/**
 * Every page a user can reach from the navigation, in one list. A module adds its page by adding an entry
 * here: the navbar, the desk home's cards and the route (with its role check) all come from this list.
 */
import {
  IconArrowFork,
  IconBook,
  IconBuilding,
  IconBuildingBank,
  IconCalendarEvent,
  IconCashBanknote,
  IconChartBar,
  IconChartHistogram,
  IconChartLine,
  IconChecklist,
  IconChecks,
  IconCloudUpload,
  IconDatabase,
  IconDiscount,
  IconFileCertificate,
  IconFileImport,
  IconHistory,
  IconListCheck,
  IconListDetails,
  IconListSearch,
  IconMail,
  IconMailForward,
  IconMessages,
  IconPackage,
  IconPackages,
  IconPresentation,
  IconReceipt,
  IconReceiptRefund,
  IconReceiptTax,
  IconReportMoney,
  IconRobot,
  IconRoute,
  IconScale,
  IconScaleOutline,
  IconShieldDollar,
  IconTransfer,
  IconTransferIn,
  IconUsers,
  IconUsersGroup,
  type TablerIcon,
} from '@tabler/icons-react';
import type { ComponentType } from 'react';
import {
  adjustmentReaders,
  approvers,
  journalReaders,
  monthEndReaders,
} from './features/adjustments/adjustments';
import { cashDesk } from './features/cash/cash';
import { creditReaders } from './features/credit/credit';
import { deductionReaders } from './features/deductions/deductions';
import { disputeReaders } from './features/disputes/disputes';
import { ediReaders } from './features/edi/edi';
import { hasAnyRole, internalRoles, type Role, type User } from './features/identity/user';
import { importers } from './features/imports/import';
import { messageDesk } from './features/messages/messages';
import { UnreadBadge } from './features/messages/unread-badge';
import { receivablesReaders } from './features/receivables/receivables';
import { dashboardManagers, measureReaders } from './features/reporting/reporting';
import { packetManagers, reviewReaders } from './features/reviews/reviews';
import { batchReaders, proposalMakers, reportReaders } from './features/settlement/settlement';
import { certificateReaders } from './features/tax/tax';
import type { Prefetch } from './ui/query-client';

/** The desk's sections in the order they appear; a section shows only once it has an entry. */
export const deskSections = [
  'Claims',
  'Contracts',
  'Channel',
  'Receivables',
  'Cash',
  'Deductions',
  'Reports',
  'Data',
  'Administration',
] as const;
export type DeskSection = (typeof deskSections)[number];

interface Page {
  /** The route; nested pages (`/accounts/:accountId`) are declared in app.tsx. */
  path: string;
  label: string;
  /** One sentence for the home page card. */
  description: string;
  icon: TablerIcon;
  /** Who may see the entry and open the page. */
  roles: readonly Role[];
  /** The page component, loaded when first visited. */
  page: () => Promise<{ default: ComponentType; prefetch?: Prefetch }>;
  /** Shown beside the entry in the navbar (a count of what waits for the user). */
  badge?: ComponentType;
}

export type NavEntry = (Page & { world: 'desk'; section: DeskSection }) | (Page & { world: 'portal' });

export const navigation: readonly NavEntry[] = [
  {
    world: 'desk',
    section: 'Claims',
    path: '/claims',
    label: 'Claims',
    description:
      'The claim queue: validation findings with their evidence, resolutions, approvals and rejections.',
    icon: IconReceipt,
    roles: internalRoles,
    page: () => import('./routes/claims'),
  },
  {
    world: 'desk',
    section: 'Claims',
    path: '/claim-log',
    label: 'Claim log',
    description:
      'Every claim with its dates, age in business days and SLA state; urgent flags, SLA alerts, XLSX.',
    icon: IconListDetails,
    roles: internalRoles,
    page: () => import('./routes/claim-log'),
  },
  {
    world: 'desk',
    section: 'Claims',
    path: '/scorecard',
    label: 'Partner scorecard',
    description:
      'Findings by rule code per month, error and first-pass rates, and advice on recurring errors.',
    icon: IconChartBar,
    roles: internalRoles,
    page: () => import('./routes/scorecard'),
  },
  {
    world: 'desk',
    section: 'Claims',
    path: '/payment-batches',
    label: 'Payment batches',
    description:
      'Settlement runs’ batches by method and currency: payments, totals, and releases above the limit.',
    icon: IconReportMoney,
    roles: batchReaders,
    page: () => import('./routes/payment-batches'),
  },
  {
    world: 'desk',
    section: 'Claims',
    path: '/payment-proposal',
    label: 'Payment proposal',
    description:
      'What a settlement run would pay on a business day, by method and partner: exclude claims, then submit.',
    icon: IconListCheck,
    roles: proposalMakers,
    page: () => import('./routes/payment-proposal'),
  },
  {
    world: 'desk',
    section: 'Reports',
    path: '/dashboards/manager',
    label: 'Manager’s dashboard',
    description:
      'DSO, CEI, past due, DDO and the claims’ cycle time and SLA month by month, per country; rebate spend.',
    icon: IconChartLine,
    roles: dashboardManagers,
    page: () => import('./routes/dashboard-manager'),
  },
  {
    world: 'desk',
    section: 'Reports',
    path: '/dashboards/analyst',
    label: 'Analyst’s dashboard',
    description:
      'Every measure with a year of trend, per partner, country or collector, down to the items behind it.',
    icon: IconChartHistogram,
    roles: measureReaders,
    page: () => import('./routes/dashboard-analyst'),
  },
  {
    world: 'desk',
    section: 'Reports',
    path: '/accruals',
    label: 'Accruals',
    description:
      'Rebate liability per program, partner and period from sell-in and sell-out; accrued vs paid; XLSX.',
    icon: IconChartBar,
    roles: reportReaders,
    page: () => import('./routes/accruals'),
  },
  {
    world: 'desk',
    section: 'Reports',
    path: '/credits-reconciliation',
    label: 'Credits reconciliation',
    description:
      'Credits processed per partner and month: claimed vs approved vs paid, variances by rule code; XLSX.',
    icon: IconScale,
    roles: reportReaders,
    page: () => import('./routes/credits-reconciliation'),
  },
  {
    world: 'desk',
    section: 'Reports',
    path: '/report-packets',
    label: 'Report packets',
    description: 'Reports e-mailed as XLSX or PDF every day, week or month to the recipients you choose.',
    icon: IconMailForward,
    roles: packetManagers,
    page: () => import('./routes/report-packets'),
  },
  {
    world: 'portal',
    path: '/my-claims',
    label: 'Claims',
    description: 'Submit claims, see what validation found on each line and what was approved.',
    icon: IconReceipt,
    roles: ['partner'],
    page: () => import('./routes/my-claims'),
  },
  {
    world: 'portal',
    path: '/my-scorecard',
    label: 'Scorecard',
    description:
      'How your claims fare in validation, your error rate over time and how to avoid recurring errors.',
    icon: IconChartBar,
    roles: ['partner'],
    page: () => import('./routes/scorecard'),
  },
  {
    world: 'portal',
    path: '/my-payments',
    label: 'Payments',
    description: 'Your approved claims as they are paid: method, amount and where each payment stands.',
    icon: IconBuildingBank,
    roles: ['partner'],
    page: () => import('./routes/my-payments'),
  },
  {
    world: 'portal',
    path: '/my-account',
    label: 'What I owe',
    description:
      'Your balance with credits netted, what is past due, open invoices to dispute, payments; your statement as PDF or XLSX.',
    icon: IconReportMoney,
    roles: ['partner'],
    page: () => import('./routes/my-account'),
  },
  {
    world: 'desk',
    section: 'Receivables',
    path: '/accounts',
    label: 'Accounts',
    description: 'Customers and partners: terms, credit limits, contacts, assigned collector and analyst.',
    icon: IconBuilding,
    roles: internalRoles,
    page: () => import('./routes/accounts'),
  },
  {
    world: 'desk',
    section: 'Receivables',
    path: '/aging',
    label: 'Aging',
    description:
      'Open receivables as of any date by days past due, per account, collector, country or currency; XLSX.',
    icon: IconReportMoney,
    roles: receivablesReaders,
    page: () => import('./routes/aging'),
  },
  {
    world: 'desk',
    section: 'Receivables',
    path: '/worklist',
    label: 'Worklist',
    description:
      'Accounts with anything past due in priority order, with the next best action; log calls and promises.',
    icon: IconChecklist,
    roles: ['collector', 'manager', 'credit', 'administrator'],
    page: () => import('./routes/worklist'),
  },
  {
    world: 'desk',
    section: 'Receivables',
    path: '/credit',
    label: 'Credit',
    description:
      'Orders on hold with exposure, available credit and the credit-pend recommendation; release or keep; limit requests.',
    icon: IconShieldDollar,
    roles: creditReaders,
    page: () => import('./routes/credit'),
  },
  {
    world: 'desk',
    section: 'Receivables',
    path: '/reviews',
    label: 'Reviews',
    description:
      'The Top 40 past-due accounts with the collectors’ comments, the worldwide credit-hold review and the WD8 packets.',
    icon: IconPresentation,
    roles: reviewReaders,
    page: () => import('./routes/reviews'),
  },
  {
    world: 'desk',
    section: 'Receivables',
    path: '/tasks',
    label: 'Tasks',
    description:
      'Escalations to sales, calls and credit-hold recommendations routed to each team, with SLAs; overdue first.',
    icon: IconListCheck,
    roles: ['collector', 'manager', 'credit', 'sales', 'administrator'],
    page: () => import('./routes/tasks'),
  },
  {
    world: 'desk',
    section: 'Receivables',
    path: '/correspondence',
    label: 'Correspondence',
    description: 'Every e-mail to an account: queued, sent, failed and retried, bounced; the .eml; resend.',
    icon: IconMail,
    roles: ['collector', 'manager', 'credit', 'administrator', 'rebate_analyst', 'approver'],
    page: () => import('./routes/outbox'),
  },
  {
    world: 'desk',
    section: 'Receivables',
    path: '/approvals',
    label: 'Approvals',
    description:
      'Adjustments and write-offs waiting for you, within your approval limit: the document in context; approve or refuse.',
    icon: IconChecks,
    roles: approvers,
    page: () => import('./routes/approvals'),
  },
  {
    world: 'desk',
    section: 'Receivables',
    path: '/adjustments',
    label: 'Adjustments',
    description:
      'Credit adjustments, rebills, debit adjustments, write-offs and absorptions with their approvals; the write-off worksheet.',
    icon: IconReceiptRefund,
    roles: adjustmentReaders,
    page: () => import('./routes/adjustments'),
  },
  {
    world: 'desk',
    section: 'Reports',
    path: '/month-end',
    label: 'Month end',
    description: 'The non-compliance charges written off on each month’s last day, run by run.',
    icon: IconCalendarEvent,
    roles: monthEndReaders,
    page: () => import('./routes/month-end'),
  },
  {
    world: 'desk',
    section: 'Reports',
    path: '/journal',
    label: 'Journal',
    description:
      'Every posting with its GL accounts for the ERP, day by day; CSV and XLSX; the accounts per kind.',
    icon: IconBook,
    roles: journalReaders,
    page: () => import('./routes/journal'),
  },
  {
    world: 'desk',
    section: 'Administration',
    path: '/admin/users',
    label: 'Users',
    description: 'Who can sign in, with which roles, and for which partner organisation.',
    icon: IconUsers,
    roles: ['administrator'],
    page: () => import('./routes/admin-users'),
  },
  {
    world: 'desk',
    section: 'Administration',
    path: '/admin/policies',
    label: 'Policies',
    description:
      'Country and customer policies for claims: rules that do not run, grace days, extra documents, SLA, payment methods.',
    icon: IconScale,
    roles: internalRoles,
    page: () => import('./routes/admin-policies'),
  },
  {
    world: 'desk',
    section: 'Administration',
    path: '/admin/collection-strategies',
    label: 'Collection strategies',
    description:
      'The steps accounts follow when past due, per segment and country: e-mails, calls, escalations.',
    icon: IconRoute,
    roles: ['administrator', 'manager', 'collector', 'credit'],
    page: () => import('./routes/admin-strategies'),
  },
  {
    world: 'desk',
    section: 'Administration',
    path: '/admin/audit',
    label: 'Audit trail',
    description: 'Every change to accounts and users: who made it, when, and what it was before.',
    icon: IconHistory,
    roles: ['administrator', 'manager', 'approver'],
    page: () => import('./routes/admin-audit'),
  },
  {
    world: 'portal',
    path: '/organisation',
    label: 'My organisation',
    description: 'Your accounts with us, their details and the documents on file.',
    icon: IconBuildingBank,
    roles: ['partner'],
    page: () => import('./routes/my-organisation'),
  },
  {
    world: 'desk',
    section: 'Contracts',
    path: '/programs',
    label: 'Programs',
    description:
      'Rebate programs and their versions: terms, enrolled partners, eligible products, budget, approval.',
    icon: IconFileCertificate,
    roles: internalRoles,
    page: () => import('./routes/programs'),
  },
  {
    world: 'desk',
    section: 'Contracts',
    path: '/deals',
    label: 'Deals',
    description: 'Special-bid deals from the deal desk: authorised amount per unit, quantity used and left.',
    icon: IconDiscount,
    roles: internalRoles,
    page: () => import('./routes/deals'),
  },
  {
    world: 'portal',
    path: '/my-programs',
    label: 'Programs',
    description: 'The programs you are enrolled in, with the terms in force.',
    icon: IconFileCertificate,
    roles: ['partner'],
    page: () => import('./routes/programs'),
  },
  {
    world: 'portal',
    path: '/my-deals',
    label: 'Deals',
    description: 'Your special-bid deals and how many units are left to claim.',
    icon: IconDiscount,
    roles: ['partner'],
    page: () => import('./routes/deals'),
  },
  {
    world: 'desk',
    section: 'Data',
    path: '/imports',
    label: 'Imports',
    description: 'Load accounts, products, programs, deals and channel data from files, and see every load.',
    icon: IconFileImport,
    roles: importers,
    page: () => import('./routes/imports'),
  },
  {
    world: 'desk',
    section: 'Data',
    path: '/products',
    label: 'Products',
    description: 'The catalogue: SKUs, families, categories, list prices and their price history.',
    icon: IconPackage,
    roles: internalRoles,
    page: () => import('./routes/products'),
  },
  {
    world: 'desk',
    section: 'Data',
    path: '/end-customers',
    label: 'End customers',
    description: 'The customers partners sell to, as sell-out, deals and claims name them.',
    icon: IconUsersGroup,
    roles: internalRoles,
    page: () => import('./routes/end-customers'),
  },
  {
    world: 'portal',
    path: '/uploads',
    label: 'Uploads',
    description: 'Send your sell-out and inventory reports and see whether each was accepted.',
    icon: IconCloudUpload,
    roles: ['partner'],
    page: () => import('./routes/uploads'),
  },
  {
    world: 'desk',
    section: 'Channel',
    path: '/positions',
    label: 'Inventory positions',
    description:
      'Each partner’s computed stock per SKU against its inventory reports, and the differences log.',
    icon: IconChartLine,
    roles: internalRoles,
    page: () => import('./routes/positions'),
  },
  {
    world: 'desk',
    section: 'Channel',
    path: '/channel-data',
    label: 'Channel data',
    description: 'Sell-in, sell-out and partner inventory reports as loaded, line by line.',
    icon: IconDatabase,
    roles: internalRoles,
    page: () => import('./routes/channel-data'),
  },
  {
    world: 'portal',
    path: '/inventory',
    label: 'Inventory',
    description: 'Your stock as we compute it, against the inventory you report, and any differences.',
    icon: IconPackages,
    roles: ['partner'],
    page: () => import('./routes/my-inventory'),
  },
  // The cash desk (issue 13): bank statements, the exception queue, the cascade's runs.
  {
    world: 'desk',
    section: 'Cash',
    path: '/bank-statements',
    label: 'Bank statements',
    description:
      'Each bank file with its statements and credits: applied, on account, deduction or exception; totals against the control totals.',
    icon: IconCashBanknote,
    roles: cashDesk,
    page: () => import('./routes/bank-statements'),
  },
  {
    world: 'desk',
    section: 'Cash',
    path: '/cash-exceptions',
    label: 'Cash exceptions',
    description:
      'Credits left for a person: the payer’s open items beside the credit, ranked suggestions, apply in full or in part.',
    icon: IconListSearch,
    roles: cashDesk,
    page: () => import('./routes/cash-exceptions'),
  },
  {
    world: 'desk',
    section: 'Cash',
    path: '/cash-runs',
    label: 'Cash runs',
    description:
      'The matching cascade’s runs: applied by itself, on account, exceptions by reason, wrong matches.',
    icon: IconRobot,
    roles: cashDesk,
    page: () => import('./routes/cash-runs'),
  },
  // Deductions (issue 14): how they reach the teams — reason codes, routing rules, queues.
  {
    world: 'desk',
    section: 'Administration',
    path: '/admin/deductions',
    label: 'Deduction routing',
    description:
      'Customers’ reason codes by category, routing rules that send deductions to a team, each queue’s SLA.',
    icon: IconArrowFork,
    roles: internalRoles,
    page: () => import('./routes/admin-deductions'),
  },
  // The deduction desk (issue 14): each team's queue by SLA, the dashboard; the partner's own deductions.
  {
    world: 'desk',
    section: 'Deductions',
    path: '/deductions',
    label: 'Deductions',
    description:
      'Each team’s queue by SLA, breached first: the claims, invoice, payment and documents beside each deduction; clear, deny, accept, write off.',
    icon: IconReceiptTax,
    roles: deductionReaders,
    page: () => import('./routes/deductions'),
  },
  {
    world: 'desk',
    section: 'Deductions',
    path: '/deductions-dashboard',
    label: 'Deductions dashboard',
    description: 'Days deduction outstanding per queue over twelve months, and the aging of open deductions.',
    icon: IconChartHistogram,
    roles: deductionReaders,
    page: () => import('./routes/deductions-dashboard'),
  },
  {
    world: 'portal',
    path: '/my-deductions',
    label: 'Deductions',
    description: 'What you kept when you paid, what we found, denial letters and paybacks due.',
    icon: IconReceiptTax,
    roles: ['partner'],
    page: () => import('./routes/my-deductions'),
  },
  // Disputes on invoices (issue 14): by team, with the SLA of each.
  {
    world: 'desk',
    section: 'Receivables',
    path: '/disputes',
    label: 'Disputes',
    description:
      'Disputes on invoices by team with their SLA: pricing, quantity, billing errors, missing proof of delivery; settled by an adjustment or rejected.',
    icon: IconScaleOutline,
    roles: disputeReaders,
    page: () => import('./routes/disputes'),
  },
  // Messages between partners and the desk (issue 18): the inbox, with the unread count in the navbar.
  {
    world: 'desk',
    section: 'Claims',
    path: '/messages',
    label: 'Messages',
    description:
      'Partners’ questions on their claims and general conversations, unread first; answer with documents attached.',
    icon: IconMessages,
    roles: messageDesk,
    page: () => import('./routes/messages'),
    badge: UnreadBadge,
  },
  {
    world: 'portal',
    path: '/my-messages',
    label: 'Messages',
    description: 'Your conversations with your analyst about your claims, and their recommendations.',
    icon: IconMessages,
    roles: ['partner'],
    page: () => import('./routes/messages'),
    badge: UnreadBadge,
  },
  // X12 EDI (issue 22): the interchange desk and the trading partners.
  {
    world: 'desk',
    section: 'Data',
    path: '/edi',
    label: 'EDI interchanges',
    description:
      'X12 received and sent: 844 claims, 867 sell-out, 852 inventory, 812 deductions in; 997s and 849s out; refused sets with the segment in error, reprocessed after a fix.',
    icon: IconTransfer,
    roles: ediReaders,
    page: () => import('./routes/edi'),
  },
  {
    world: 'desk',
    section: 'Administration',
    path: '/edi-partners',
    label: 'Trading partners',
    description:
      'Partners that exchange X12: their ISA and GS identifiers, the sets they send and receive, test or production.',
    icon: IconTransferIn,
    roles: ediReaders,
    page: () => import('./routes/edi-partners'),
  },
  {
    world: 'portal',
    path: '/my-edi',
    label: 'EDI',
    description:
      'The X12 you sent us and what became of each set (loaded, or refused with the segment in error), our 997s, 849s and 812s.',
    icon: IconTransfer,
    roles: ['partner'],
    page: () => import('./routes/edi'),
  },
  // Tax-exempt certificates (issue 16): the tax team's queue and the partners' uploads.
  {
    world: 'desk',
    section: 'Receivables',
    path: '/tax-certificates',
    label: 'Tax certificates',
    description:
      'Customers’ tax-exempt certificates per jurisdiction: the tax team validates or rejects them; expiry reminders; invoices flagged against them.',
    icon: IconFileCertificate,
    roles: certificateReaders,
    page: () => import('./routes/tax-certificates'),
  },
  {
    world: 'portal',
    path: '/my-tax-certificates',
    label: 'Tax certificates',
    description:
      'Your tax-exempt certificates: upload those we ask for, see which are valid and when they expire.',
    icon: IconFileCertificate,
    roles: ['partner'],
    page: () => import('./routes/my-tax-certificates'),
  },
];

export function entriesFor(user: Pick<User, 'roles'>): NavEntry[] {
  return navigation.filter((entry) => hasAnyRole(user, entry.roles));
}

/** The desk's entries for this user grouped by section, empty sections left out. */
export function deskSectionsFor(user: Pick<User, 'roles'>): { section: DeskSection; entries: NavEntry[] }[] {
  const entries = entriesFor(user);
  return deskSections
    .map((section) => ({
      section,
      entries: entries.filter((entry) => entry.world === 'desk' && entry.section === section),
    }))
    .filter((group) => group.entries.length > 0);
}

// The claim form's look-ups: a claim number made for the partner and what the program requires, the end
// customers and the uncredited sell-out lines of the partner's own account. Another organisation's account is
// a 404 and its data never appears (src/modules/claims/claim-lookups.ts).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  claimForm,
  claimFormQuery,
  endCustomerLookupQuery,
  lookUpEndCustomers,
  lookUpSellOut,
  sellOutLookupQuery,
} from '../../modules/claims/index.ts';

const tags = ['claims'];

export const claimsFormRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/claim-form',
    {
      schema: {
        tags,
        summary:
          'For a new claim of an account: a claim number not yet used by it, whether `claim_id` is taken, and the program’s type and required documents',
        querystring: claimFormQuery,
      },
    },
    async (req) => claimForm(req.userDb(), req.query),
  );

  app.get(
    '/claim-form/end-customers',
    {
      schema: {
        tags,
        summary: 'End customers the account’s own sell-out and deals name, by id or name',
        querystring: endCustomerLookupQuery,
      },
    },
    async (req) => ({ items: await lookUpEndCustomers(req.userDb(), req.query) }),
  );

  app.get(
    '/claim-form/sell-out',
    {
      schema: {
        tags,
        summary:
          'The account’s sell-out lines with units not yet credited, matching SKU, sale date and end customer',
        querystring: sellOutLookupQuery,
      },
    },
    async (req) => ({ items: await lookUpSellOut(req.userDb(), req.query) }),
  );
};

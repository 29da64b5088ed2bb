/** The measures part of the WD8 packet: the month's measures (CONTROLS.md "Measures") per country. */
import type { Db } from '../../db/db.ts';
import type { PdfSection } from '../platform/index.ts';

export async function measureSection(_db: Db, month: string, _country: string | null): Promise<PdfSection> {
  return {
    title: `Measures of ${month}`,
    notes: [],
    sheet: { name: 'Measures', columns: [{ key: 'metric', header: 'metric' }], rows: [] },
  };
}

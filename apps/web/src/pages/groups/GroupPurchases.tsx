import { type FormEvent, type ReactNode, useCallback, useEffect, useState } from 'react';
import { api, dataOf } from '../../api/client';
import { Outcome, SelectField, TextField } from '../../components/Field';
import { ScrollBox } from '../../components/ScrollBox';
import { useAction } from '../../components/useAction';
import { formatDate, formatYen, tokyoToday } from '../../format';
import { useT } from '../../i18n';
import { allOf, chosen, PICK_LIST_LIMIT } from '../technician/records';
import { MoneyBar } from './GroupParts';
import {
  explainGroupProblem,
  type GroupDetail,
  type Purchase,
  type PurchaseItem,
  type SubsidyLedger,
  wholeYen,
} from './records';

interface ItemDraft {
  name: string;
  quantity: string;
  unitPrice: string;
}

const EMPTY_ITEM: ItemDraft = { name: '', quantity: '1', unitPrice: '' };

/**
 * Equipment bought by the group or a member after the trials: the subsidy is the API's (the
 * programme's rate, rounded down, no more than what remains of the cap); the page shows it and
 * what remains.
 */
export function GroupPurchases({ group }: { group: GroupDetail }): ReactNode {
  const t = useT();
  const [purchases, setPurchases] = useState<Purchase[] | null>(null);
  const [subsidy, setSubsidy] = useState<SubsidyLedger | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [purchasedOn, setPurchasedOn] = useState(tokyoToday());
  const [purchaser, setPurchaser] = useState('');
  const [items, setItems] = useState<ItemDraft[]>([EMPTY_ITEM]);
  const [price, setPrice] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const { busy, error, setError, run } = useAction();
  const names = new Map(group.members.map((member) => [member.companyId, member.name]));

  const load = useCallback(async () => {
    try {
      // The ledger comes with every page; the last page's is the latest.
      let ledger: SubsidyLedger | null = null;
      const all = await allOf(async (cursor) => {
        const page = await dataOf(
          api.GET('/groups/{id}/purchases', {
            params: {
              path: { id: group.id },
              query: { limit: PICK_LIST_LIMIT, ...chosen({ cursor: cursor ?? '' }) },
            },
          }),
        );
        ledger = page.subsidy;
        return page;
      });
      setPurchases(all);
      setSubsidy(ledger);
      setLoadError(null);
    } catch (problem) {
      setLoadError(explainGroupProblem(t, problem));
    }
  }, [group.id, t]);

  useEffect(() => {
    void load();
  }, [load]);

  const setItem = (index: number, change: Partial<ItemDraft>): void =>
    setItems((before) => before.map((item, at) => (at === index ? { ...item, ...change } : item)));

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setDone(null);
    const priceYen = wholeYen(price);
    const parsed: PurchaseItem[] = [];
    for (const item of items) {
      const quantity = wholeYen(item.quantity);
      const unitPriceYen = wholeYen(item.unitPrice);
      if (!item.name.trim() || !quantity || unitPriceYen == null) {
        setError(t('groups.purchases.itemInvalid'));
        return;
      }
      parsed.push({ name: item.name.trim(), quantity, unitPriceYen });
    }
    if (priceYen == null || priceYen <= 0) {
      setError(t('groups.purchases.priceInvalid'));
      return;
    }
    await run(
      async () => {
        const recorded = await dataOf(
          api.POST('/groups/{id}/purchases', {
            params: { path: { id: group.id } },
            body: {
              purchasedOn,
              purchaserCompanyId: purchaser || null,
              items: parsed,
              priceYen,
            },
          }),
        );
        setItems([EMPTY_ITEM]);
        setPrice('');
        setDone(
          t('groups.purchases.recorded', {
            price: formatYen(recorded.priceYen),
            subsidy: formatYen(recorded.subsidyYen),
          }),
        );
        await load();
      },
      (problem) => explainGroupProblem(t, problem),
    );
  };

  return (
    <section className="groups-panel" aria-labelledby="group-purchases">
      <h2 id="group-purchases">{t('groups.purchases.title')}</h2>
      <p className="muted">
        {t(group.smallEnterpriseGroup ? 'groups.purchases.rateSmall' : 'groups.purchases.rate')}
      </p>
      <p role="alert" className="error" hidden={!loadError}>
        {loadError}
      </p>
      {purchases && subsidy ? (
        <>
          <p>
            <MoneyBar
              used={subsidy.grantedYen}
              cap={subsidy.capYen}
              label={t('groups.purchases.cap')}
            />
          </p>
          {purchases.length === 0 ? (
            <p className="muted">{t('groups.purchases.empty')}</p>
          ) : (
            <ScrollBox label={t('groups.purchases.caption')}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('groups.purchases.col.purchasedOn')}</th>
                    <th scope="col">{t('groups.purchases.col.purchaser')}</th>
                    <th scope="col">{t('groups.purchases.col.items')}</th>
                    <th scope="col">{t('groups.purchases.col.price')}</th>
                    <th scope="col">{t('groups.purchases.col.rate')}</th>
                    <th scope="col">{t('groups.purchases.col.subsidy')}</th>
                  </tr>
                </thead>
                <tbody>
                  {purchases.map((row) => (
                    <tr key={row.id}>
                      <td data-label={t('groups.purchases.col.purchasedOn')}>
                        {formatDate(row.purchasedOn)}
                      </td>
                      <td data-label={t('groups.purchases.col.purchaser')}>
                        {row.purchaserCompanyId
                          ? (names.get(row.purchaserCompanyId) ?? row.purchaserCompanyId)
                          : t('groups.purchases.byGroup')}
                      </td>
                      <td data-label={t('groups.purchases.col.items')}>
                        <ul className="groups-plain">
                          {row.items.map((item, index) => (
                            <li key={index}>
                              {t('groups.purchases.item', {
                                name: item.name,
                                quantity: item.quantity,
                                price: formatYen(item.unitPriceYen),
                              })}
                            </li>
                          ))}
                        </ul>
                      </td>
                      <td className="num" data-label={t('groups.purchases.col.price')}>
                        {formatYen(row.priceYen)}
                      </td>
                      <td data-label={t('groups.purchases.col.rate')}>
                        {row.rate.numerator}/{row.rate.denominator}
                      </td>
                      <td className="num" data-label={t('groups.purchases.col.subsidy')}>
                        {formatYen(row.subsidyYen)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollBox>
          )}
        </>
      ) : null}
      <form className="groups-form" onSubmit={(event) => void submit(event)}>
        <TextField
          label={t('groups.purchases.purchasedOn')}
          type="date"
          required
          value={purchasedOn}
          onChange={(event) => setPurchasedOn(event.target.value)}
        />
        <SelectField
          label={t('groups.purchases.purchaser')}
          value={purchaser}
          options={[
            { value: '', label: t('groups.purchases.byGroup') },
            ...group.members.map((member) => ({ value: member.companyId, label: member.name })),
          ]}
          onChange={(event) => setPurchaser(event.target.value)}
        />
        {items.map((item, index) => (
          <fieldset key={index} className="groups-item groups-wide">
            <legend>{t('groups.purchases.itemLegend', { number: index + 1 })}</legend>
            <TextField
              label={t('groups.purchases.itemName')}
              required
              maxLength={200}
              value={item.name}
              onChange={(event) => setItem(index, { name: event.target.value })}
            />
            <TextField
              label={t('groups.purchases.quantity')}
              required
              inputMode="numeric"
              value={item.quantity}
              onChange={(event) => setItem(index, { quantity: event.target.value })}
            />
            <TextField
              label={t('groups.purchases.unitPrice')}
              required
              inputMode="numeric"
              value={item.unitPrice}
              onChange={(event) => setItem(index, { unitPrice: event.target.value })}
            />
            {items.length > 1 ? (
              <button
                type="button"
                onClick={() => setItems((before) => before.filter((_, at) => at !== index))}
              >
                {t('groups.purchases.removeItem', { number: index + 1 })}
              </button>
            ) : null}
          </fieldset>
        ))}
        <div className="groups-buttons">
          <button type="button" onClick={() => setItems((before) => [...before, EMPTY_ITEM])}>
            {t('groups.purchases.addItem')}
          </button>
        </div>
        <TextField
          label={t('groups.purchases.price')}
          required
          inputMode="numeric"
          hint={t('groups.purchases.priceHint')}
          value={price}
          onChange={(event) => setPrice(event.target.value)}
        />
        <div className="groups-buttons">
          <button type="submit" disabled={busy}>
            {t('groups.purchases.submit')}
          </button>
        </div>
      </form>
      <Outcome error={error} done={done} />
    </section>
  );
}

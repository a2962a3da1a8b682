/**
 * Japan's 13-digit corporate number (法人番号): the first digit checks the other twelve.
 * check = 9 - (Σ Pn × Qn mod 9), Pn the nth base digit counted from the right, Qn 1 for odd n, 2 for even n.
 */
export function isValidCorporateNumber(value: string): boolean {
  if (!/^\d{13}$/.test(value)) return false;
  const base = value.slice(1);
  let sum = 0;
  for (let n = 1; n <= 12; n++) {
    const digit = Number(base[12 - n]);
    sum += digit * (n % 2 === 1 ? 1 : 2);
  }
  return Number(value[0]) === 9 - (sum % 9);
}

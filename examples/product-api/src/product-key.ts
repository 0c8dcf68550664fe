/**
 * The cache key of a product view: the id plus the requested fields, sorted and de-duplicated, so
 * `fields=price,name` and `fields=name,price` share one entry (and one upstream call).
 */
export interface ProductQuery {
  productId: string;
  fields: string[];
}

const FIELD = /^[a-zA-Z][a-zA-Z0-9_]{0,31}$/;
const PRODUCT_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Parses `?productId=…&fields=a,b`; throws a message for the caller on bad input. */
export function parseProductQuery(params: URLSearchParams): ProductQuery {
  const productId = params.get("productId") ?? "";
  if (!PRODUCT_ID.test(productId)) throw new RangeError("productId must be 1-64 characters of A-Z, a-z, 0-9, _ or -");
  const fields = [
    ...new Set(
      (params.get("fields") ?? "")
        .split(",")
        .map((f) => f.trim())
        .filter(Boolean),
    ),
  ].sort();
  const bad = fields.find((field) => !FIELD.test(field));
  if (bad !== undefined) throw new RangeError(`field ${JSON.stringify(bad)} is not a field name`);
  return { productId, fields };
}

/** `SKU-1|name,price`; no fields means the whole product: `SKU-1|*`. */
export function productCacheKey({ productId, fields }: ProductQuery): string {
  return `${productId}|${fields.length === 0 ? "*" : fields.join(",")}`;
}

export function parseProductCacheKey(key: string): ProductQuery {
  const [productId = "", list = "*"] = key.split("|");
  return { productId, fields: list === "*" ? [] : list.split(",") };
}

// The ACME pieces bench:acme drives directly (test and bench support): the order by http-01,
// and the extra trust for a test CA's directory.
export { trust as trustAcmeCa } from "../modules/certificates/acme.ts";
export { httpSolver, orderCertificate } from "../modules/certificates/order.ts";

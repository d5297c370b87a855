// The ACME pieces bench:acme drives directly (test and bench support): the order by http-01,
// and the extra trust for a test CA's directory (acme-client loaded and set up, as the panel does).
export { acmeLibrary as trustAcmeCa } from "../modules/certificates/acme.ts";
export { httpSolver, orderCertificate } from "../modules/certificates/order.ts";

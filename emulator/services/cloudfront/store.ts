/** WAFv2 asks which distributions use a web ACL before it deletes one. */
export { distributionsUsingWebAcl } from './model/store';

/** A directory user as the mock Entra knows it (the attributes the default claims read). */
export interface EntraUser {
  userPrincipalName: string;
  mail?: string | null;
  objectId: string;
  displayName: string;
  givenName?: string;
  surname?: string;
}

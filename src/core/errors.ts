/**
 * The one catalogue of error codes: every refusal the product can give, API or SAML check, with its
 * HTTP status, a one-line message and a hint that says how to fix it. Tests assert on codes only.
 */
interface CatalogueEntry {
  status: number;
  message: string;
  hint: string;
  /** The number Entra shows after "AADSTS" for this error (mock Entra codes only). */
  aadsts?: string;
  /** Entra's full wording with `{name}` placeholders, filled by {@link fillTemplate}. */
  template?: string;
}

// biome-ignore format: one entry a line keeps the table scannable and diffable.
const catalogue = {
  // --- API and console ---------------------------------------------------------------------------
  VALIDATION_FAILED: { status: 400, message: 'The request body or parameters are not valid.', hint: 'See `details` for each field that was refused and fix those values.' },
  MALFORMED_JSON: { status: 400, message: 'The request body is not valid JSON.', hint: 'Send a JSON object with Content-Type: application/json.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'The request body has a content type this endpoint does not read.', hint: 'Send application/json to /api endpoints and application/x-www-form-urlencoded to the ACS.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is larger than this endpoint accepts.', hint: 'SAML messages and metadata are a few kilobytes; check that the right field was sent.' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'This address does not answer to this HTTP method.', hint: 'Use one of the methods in the Allow header; openapi.yaml (SP) and openapi-idp.yaml (mock Entra) describe every route.' },
  NOT_FOUND: { status: 404, message: 'There is nothing at this address.', hint: 'Check the path; the API is described in openapi.yaml.' },
  ACCOUNT_NOT_FOUND: { status: 404, message: 'No Mimecast account has this account code.', hint: 'List accounts with GET /api/accounts or create one with POST /api/accounts.' },
  ACCOUNT_EXISTS: { status: 409, message: 'An account with this account code already exists.', hint: 'Account codes are unique; update the existing account with PATCH instead.' },
  ACCOUNT_NOT_FOUND_FOR_EMAIL: { status: 404, message: 'No account has a domain that matches this email address.', hint: 'Add the email domain to an account (domains) or check the address for typos.' },
  PROFILE_NOT_FOUND: { status: 404, message: 'This account has no authentication profile yet.', hint: 'Create one with PUT /api/accounts/{code}/profile, or import IdP metadata into it.' },
  SAML_NOT_ENFORCED: { status: 409, message: 'The authentication profile does not enforce SAML, so there is nothing to sign in to with SSO.', hint: 'Tick one of the "Enforce SAML Authentication" switches on the profile.' },
  PROFILE_INCOMPLETE: { status: 409, message: 'The authentication profile is missing IdP settings needed to start sign-in.', hint: 'Import the App Federation Metadata Url, or fill Issuer URL, Login URL and the Identity Provider Certificate.' },
  LOGIN_URL_UNSAFE: { status: 409, message: "The profile's Login URL is not an http(s) URL, so the browser is not sent there.", hint: "Import the IdP's metadata again, or set Login URL to its SAML endpoint (Entra: https://login.microsoftonline.com/<tenant-id>/saml2)." },
  USER_NOT_FOUND: { status: 404, message: 'No internal directory address has this email.', hint: 'List addresses with GET /api/accounts/{code}/directory.' },
  USER_EXISTS: { status: 409, message: 'This email address already exists in the internal directory.', hint: 'Each primary email address is unique (case-insensitive); edit the existing address instead.' },
  DOMAIN_NOT_IN_ACCOUNT: { status: 422, message: "The email address's domain is not one of the account's domains.", hint: "Add the domain to the account first (Internal Directories › New Domain)." },
  DOMAIN_IN_USE: { status: 409, message: 'This domain already belongs to another account.', hint: 'A domain routes sign-in to exactly one account; remove it from the other account first.' },
  TRACE_NOT_FOUND: { status: 404, message: 'No SAML trace has this id.', hint: 'Traces are kept for a limited time; list recent ones with GET /api/traces.' },
  UNAUTHENTICATED: { status: 401, message: 'Nobody is signed in to the mock Mimecast in this browser session.', hint: 'Sign in through /login/saml first.' },
  ADMIN_ROLE_REQUIRED: { status: 403, message: 'The signed-in address holds no administrator role, so the Administration Console is closed to it.', hint: 'Give the address an administrator role (e.g. Full Administrator) in the internal directory, or open the Mimecast Personal Portal at /portal.' },
  ADMIN_TOKEN_REQUIRED: { status: 401, message: 'This server was started with an admin token, so its API, console and SSO log need it.', hint: "Scripts send Authorization: Bearer <token>; a browser enters it once in the console's Admin token form. It is the token set by --admin-token / MOCK_MIMECAST_ADMIN_TOKEN." },
  ADMIN_TOKEN_INVALID: { status: 403, message: 'The admin token does not match.', hint: 'Use the token the server was started with (--admin-token / MOCK_MIMECAST_ADMIN_TOKEN).' },
  ADMIN_LOOPBACK_ONLY: { status: 403, message: 'No admin token is configured, so the API, console and SSO log answer only connections from this machine.', hint: 'Connect from the machine the server runs on, or start it with --admin-token / MOCK_MIMECAST_ADMIN_TOKEN to reach them from elsewhere. Behind a reverse proxy on this machine, set a token: the proxy connects from loopback on behalf of everyone.' },
  RELAY_STATE_UNSAFE: { status: 400, message: 'RelayState is not a same-origin path, so it will not be followed.', hint: 'Use a path such as /portal; absolute URLs to other sites are refused to prevent open redirects.' },
  CSRF_TOKEN_INVALID: { status: 403, message: 'The form was sent without the token this browser session was given, so it may not come from this site.', hint: 'Reload the page and submit the form again; forms from other sites, and forms older than the current sign-in, are refused.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests from this address; wait before trying again.', hint: 'Wait for the number of seconds in Retry-After, or raise the limit under rateLimits in the configuration (e.g. MOCK_MIMECAST_RATE_LIMIT_ACS).' },
  HOST_NOT_ALLOWED: { status: 421, message: 'This server does not answer to the host name in the request.', hint: 'On loopback the SP answers only to localhost, 127.0.0.1, [::1] and the host of its public URL; set --public-url (MOCK_MIMECAST_PUBLIC_URL) to the address browsers use.' },
  NOT_READY: { status: 503, message: 'The server is running but cannot serve requests: its database does not answer.', hint: 'Check the database file (databasePath) is on a reachable, writable disk; the log says what failed. Liveness is /api/health, readiness /api/ready.' },
  INTERNAL: { status: 500, message: 'Something went wrong inside the harness.', hint: 'This is a bug in mock-mimecast; the log has the request id.' },

  // --- Configuration ------------------------------------------------------------------------------
  CONFIG_INVALID: { status: 400, message: 'The configuration is not valid.', hint: 'Fix the listed settings in your flags, environment or YAML file.' },
  TLS_FILES_INVALID: { status: 500, message: 'The TLS certificate or key under tls.dir cannot be used.', hint: 'Run `mock-mimecast certs --ca --dir <tls.dir>` to issue a new server certificate from the local CA, or delete the folder to start over (the CA must then be trusted again).' },
  REDIS_UNAVAILABLE: { status: 503, message: 'Redis, which holds sessions and the replay and pending-request caches, cannot be reached.', hint: 'Check that REDIS_URL (--redis-url) points at a running Redis 6.2 or newer, or unset it to keep everything in SQLite and run a single replica.' },
  DATABASE_SCHEMA_NEWER: { status: 500, message: 'The database was written by a newer version of mock-mimecast than this one.', hint: 'Upgrade mock-mimecast, or set databasePath to another file (or :memory:).' },

  // --- Command line -------------------------------------------------------------------------------
  PORT_IN_USE: { status: 500, message: 'A port the harness must listen on is already in use.', hint: 'Stop what listens there, or choose another port (--sp-port / --idp-port, or MOCK_MIMECAST_SP_PORT / MOCK_MIMECAST_IDP_PORT).' },
  PORT_UNAVAILABLE: { status: 500, message: 'The harness may not listen on this address or port.', hint: 'Ports below 1024 need privileges and a host must be an address of this machine: choose --sp-port / --idp-port from 1024 up, or --sp-host / --idp-host 127.0.0.1.' },
  INPUT_NOT_FOUND: { status: 400, message: 'A file named on the command line does not exist.', hint: 'Check the path (relative paths start from the current folder); `check` also reads base64, XML or a form body given inline, or - for standard input.' },
  INPUT_UNREADABLE: { status: 400, message: 'A file named on the command line cannot be read or is not in a format this command reads.', hint: 'Check the path is a readable file, not a folder; `check` reads a HAR export, a SAML-tracer export, XML, base64 or a form body.' },
  OUTPUT_UNWRITABLE: { status: 500, message: 'A file named on the command line cannot be written.', hint: 'Choose a path in a folder you may write to; missing folders are created.' },
  CAPTURE_HAS_NO_RESPONSE: { status: 400, message: 'The capture holds no SAMLResponse.', hint: 'Capture the whole sign-in: keep the browser\'s network log on (Preserve log) until the Mimecast page loads, then export the HAR, or export SAML-tracer\'s list after the POST to the Reply URL.' },

  // --- Metadata import ----------------------------------------------------------------------------
  METADATA_URL_INVALID: { status: 400, message: 'The Metadata URL is not an http(s) URL.', hint: "Copy the App Federation Metadata Url from Entra's SAML Certificates section." },
  METADATA_UNREACHABLE: { status: 422, message: 'The Metadata URL could not be fetched.', hint: 'Check the URL and that this machine can reach it, or paste the Federation Metadata XML instead.' },
  METADATA_HTTP_ERROR: { status: 422, message: 'The Metadata URL answered with an HTTP error.', hint: 'Check the tenant id and appid in the URL; Entra answers 400/404 for an unknown app.' },
  METADATA_TIMEOUT: { status: 422, message: 'Fetching the Metadata URL took too long.', hint: 'Check the host is reachable, or paste the Federation Metadata XML instead.' },
  METADATA_TOO_MANY_REDIRECTS: { status: 422, message: 'The Metadata URL redirected too many times.', hint: "Use the final address of the metadata, such as Entra's App Federation Metadata Url, which answers without redirects." },
  METADATA_TOO_LARGE: { status: 422, message: 'The metadata document is larger than the import limit.', hint: 'Federation metadata is tens of kilobytes; check the URL points at the metadata, not a page.' },
  METADATA_TOO_COMPLEX: { status: 422, message: 'The metadata document nests deeper or holds more elements or attributes than the import limits.', hint: "Entra's App Federation Metadata is about 100 elements, 6 levels deep; check the URL points at one IdP's metadata, not a whole federation's aggregate. `details` name the limit that was reached." },
  METADATA_ADDRESS_REFUSED: { status: 422, message: 'The Metadata URL points at a private, loopback, link-local or cloud-metadata address, which imports may not reach.', hint: "Use the IdP's public https metadata URL. To import from a host on your own network on purpose, add it to metadata.allowedHosts (MOCK_MIMECAST_METADATA_ALLOWED_HOSTS, comma-separated), or paste the metadata XML instead." },
  METADATA_INVALID: { status: 422, message: 'The document is not well-formed SAML metadata.', hint: "Use Entra's 'Federation Metadata XML' download or the App Federation Metadata Url." },
  METADATA_NO_IDP: { status: 422, message: 'The metadata has no IDPSSODescriptor, so it does not describe an identity provider.', hint: 'You may have imported SP metadata; use the IdP (Entra) metadata instead.' },
  METADATA_NO_SIGNING_CERT: { status: 422, message: 'The metadata has no signing certificate.', hint: "Check Entra's SAML Certificates section has an active token signing certificate." },
  METADATA_TENANT_WIDE: { status: 200, message: "This looks like the tenant-wide federation metadata, not the app's.", hint: "Use the App Federation Metadata Url (with ?appid=) from the Mimecast app's SAML Certificates section: tenant-wide metadata carries the tenant's keys, not the app's signing certificate, so every assertion signature fails." },
  METADATA_SIGNATURE_INVALID: { status: 200, message: "The metadata document's own signature does not verify.", hint: 'The file may have been edited after download; download it again from Entra.' },
  METADATA_UNSIGNED: { status: 200, message: 'The metadata document is not signed.', hint: 'Entra signs its metadata; an unsigned document may not come from Entra.' },
  METADATA_CERT_EXPIRED: { status: 200, message: 'A signing certificate in the metadata has expired.', hint: 'In Entra, create a New Certificate, make it active, then import the metadata again.' },
  METADATA_CERT_NOT_YET_VALID: { status: 200, message: 'A signing certificate in the metadata is not valid yet.', hint: "Check this machine's clock." },

  // --- Shared SAML layer (bindings, certificates) ---------------------------------------------------
  SAML_PAYLOAD_NOT_DEFLATE: { status: 400, message: 'The HTTP-Redirect message is not raw DEFLATE data.', hint: 'The HTTP-Redirect binding deflates the XML (RFC 1951, no zlib header), then base64- and URL-encodes it (SAML Bindings 3.4.4.1).' },
  CERTIFICATE_INVALID: { status: 400, message: 'The text is not an X.509 certificate.', hint: "Paste Entra's 'Certificate (Base64)' download, with or without the BEGIN/END CERTIFICATE lines." },

  // --- ACS checks (SAML response) -----------------------------------------------------------------
  SP_PAYLOAD_MISSING: { status: 400, message: 'The POST carries no SAMLResponse field.', hint: 'The IdP must POST a form field named SAMLResponse to the Reply URL.' },
  SP_PAYLOAD_TOO_LARGE: { status: 413, message: 'The SAMLResponse is larger than the limit.', hint: 'Entra responses are a few kilobytes; reduce the claims issued or raise saml.maxSamlBytes.' },
  SP_PAYLOAD_NOT_BASE64: { status: 400, message: 'The SAMLResponse is not base64.', hint: 'The HTTP-POST binding sends the response base64-encoded, not deflated and not raw XML.' },
  SP_PAYLOAD_NOT_UTF8: { status: 400, message: 'The decoded SAMLResponse is not UTF-8 text.', hint: 'SAML messages are UTF-8 XML.' },
  SP_PAYLOAD_MALFORMED_XML: { status: 400, message: 'The decoded SAMLResponse is not well-formed XML.', hint: 'The message was damaged in transit or by a proxy.' },
  SP_PAYLOAD_DTD: { status: 400, message: 'The SAMLResponse contains a DTD (DOCTYPE), which SAML forbids.', hint: 'SAML messages must not carry a DTD (SAML Core 1.3 / Bindings 3.5); a DTD is how entity attacks start.' },
  SP_PAYLOAD_TOO_DEEP: { status: 400, message: 'The XML nests elements deeper than the limit.', hint: 'Real Entra messages are under 10 levels deep; deep nesting is how parser and canonicalisation exhaustion starts. `details` give the limit and the element.' },
  SP_PAYLOAD_TOO_WIDE: { status: 400, message: 'The XML has more elements, children, attributes or namespace declarations than the limits allow.', hint: 'Real Entra messages hold a few hundred elements at most; `details` name the limit that was reached, its value and the element.' },
  SP_EVALUATION_FAILED: { status: 422, message: 'The response could not be evaluated: a step of the ACS pipeline failed on this message.', hint: 'The message is refused and recorded; open its trace in the SSO log. If the message is genuine, report it with the trace.' },
  SP_PAYLOAD_WRONG_ROOT: { status: 400, message: 'The decoded message is not a samlp:Response.', hint: 'Only SAML 2.0 Responses are accepted at the ACS; a LogoutResponse goes to the logout endpoint.' },
  SP_ACCOUNT_UNRESOLVED: { status: 403, message: 'No account matches this response (not by request id, audience or issuer).', hint: "Set Entra's Identifier (Entity ID) to the account's Identifier, e.g. https://eu-api.mimecast.com/sso/<CODE>." },
  SP_PROFILE_MISSING: { status: 403, message: 'The account has no authentication profile with IdP settings.', hint: 'Import the App Federation Metadata Url into the authentication profile.' },
  SP_STATUS_NOT_SUCCESS: { status: 403, message: 'The IdP answered with a non-Success status.', hint: 'Read the StatusMessage: Entra puts the AADSTS error there.' },
  SP_STATUS_MISSING: { status: 403, message: 'The response has no StatusCode.', hint: 'SAML Core 3.2.2 requires a Status with a StatusCode.' },
  SP_ISSUER_MISSING: { status: 403, message: 'The response or assertion has no Issuer.', hint: 'SAML Core 2.3.3 requires an Issuer on the assertion.' },
  SP_ISSUER_MISMATCH: { status: 403, message: "The Issuer is not the profile's Issuer URL.", hint: "Import the app's metadata again, or set Issuer URL to Entra's 'Microsoft Entra Identifier' (https://sts.windows.net/<tenant-id>/)." },
  SP_DESTINATION_MISSING: { status: 200, message: 'The response has no Destination.', hint: 'SAML Bindings 3.5.5.2: signed responses should carry Destination.' },
  SP_DESTINATION_MISMATCH: { status: 403, message: "The Destination is not this SP's ACS URL.", hint: "Set Entra's Reply URL (Assertion Consumer Service URL) to this ACS URL." },
  SP_SIGNATURE_MISSING: { status: 403, message: 'Neither the assertion nor the response is signed.', hint: "Entra signs the assertion by default; check SAML Certificates › Signing Option." },
  SP_SIGNATURE_INVALID: { status: 403, message: 'The XML signature does not verify.', hint: 'The message was altered after signing, or a proxy re-encoded it.' },
  SP_SIGNATURE_UNTRUSTED_CERT: { status: 403, message: "The signature was not made with any of the profile's Identity Provider Certificates.", hint: "Entra's active certificate changed: import the App Federation Metadata Url again (or turn on Monitor Metadata URL)." },
  SP_SIGNATURE_NOT_COVERING_ASSERTION: { status: 403, message: 'The signature does not cover the assertion that would be used (signature wrapping).', hint: 'The signed element must be the Response or the one Assertion consumed; anything else is a forgery.' },
  SP_SIGNATURE_UNSUPPORTED: { status: 403, message: 'The signature uses a structure or algorithm that is not accepted.', hint: 'Entra signs with exclusive C14N and RSA-SHA256 over one reference to the signed element.' },
  SP_SIGNATURE_DIGEST_MISMATCH: { status: 403, message: 'The signed element was changed after signing: its digest does not match the Reference.', hint: 'The content under the signature differs from what the IdP signed; a proxy, an editor or an attacker altered it.' },
  SP_SIGNATURE_VALUE_INVALID: { status: 403, message: "SignatureValue does not verify over SignedInfo with any of the profile's Identity Provider Certificates.", hint: "The signature was made with another key or SignedInfo was edited; import the App Federation Metadata Url again if Entra's certificate changed." },
  SP_SIGNATURE_REFERENCE_INVALID: { status: 403, message: 'The signature does not reference exactly the element it signs.', hint: 'A SAML signature has one Reference whose URI is "#" + the ID of the element that carries it, and that ID is unique in the whole message (SAML Core 5.4.2).' },
  SP_SIGNATURE_SHA1: { status: 200, message: 'The signature uses SHA-1.', hint: "Set Entra's Signing Algorithm to SHA-256 (SAML Certificates › Edit)." },
  SP_SIGNATURE_SHA1_REFUSED: { status: 403, message: 'The signature uses SHA-1, which this harness is set to refuse.', hint: "Set Entra's Signing Algorithm to SHA-256 (SAML Certificates › Edit), or allow SHA-1 in the config." },
  SP_SIGNATURE_CERT_EXPIRED: { status: 200, message: 'The certificate that verified the signature has expired.', hint: 'Entra keeps signing with an expired certificate; create a New Certificate in Entra and make it active.' },
  SP_ASSERTION_MISSING: { status: 403, message: 'The response carries no assertion.', hint: 'A Success response must carry exactly one assertion.' },
  SP_ASSERTION_COUNT: { status: 403, message: 'The response carries more than one assertion.', hint: 'Exactly one assertion is accepted; more is a sign of assertion injection.' },
  SP_DECRYPTION_FAILED: { status: 403, message: 'The EncryptedAssertion could not be decrypted with the SP encryption key.', hint: "Upload this SP's encryption certificate in Entra (Token encryption), or turn token encryption off." },
  SP_ENCRYPTION_NOT_ENABLED: { status: 403, message: 'Mimecast does not document support for token encryption: turn off token encryption in Entra.', hint: "In Entra › the Mimecast app › Single sign-on › Token encryption, deactivate the certificate. (The mock's profile option \"Accept encrypted assertions\" decrypts them anyway; inferred behaviour.)" },
  SP_ENCRYPTION_SHAPE: { status: 403, message: 'The message carries encrypted content outside the one accepted EncryptedAssertion shape.', hint: 'Accepted: one saml:EncryptedAssertion directly under the Response, holding one xenc:EncryptedData whose one xenc:EncryptedKey sits in its KeyInfo (or beside it, by RetrievalMethod). Anything else is refused as a decoy.' },
  SP_SUBJECT_CONFIRMATION_MISSING: { status: 403, message: 'The assertion has no bearer SubjectConfirmation.', hint: 'Web Browser SSO needs a bearer SubjectConfirmation (SAML Profiles 4.1.4.2).' },
  SP_SUBJECT_CONFIRMATION_NOT_BEARER: { status: 403, message: 'The SubjectConfirmation method is not bearer.', hint: 'Web Browser SSO accepts only urn:oasis:names:tc:SAML:2.0:cm:bearer.' },
  SP_RECIPIENT_MISSING: { status: 403, message: 'The bearer SubjectConfirmationData has no Recipient.', hint: 'SAML Profiles 4.1.4.2 requires Recipient; check the Reply URL in Entra.' },
  SP_RECIPIENT_MISMATCH: { status: 403, message: "The Recipient is not this SP's ACS URL.", hint: "Set Entra's Reply URL (Assertion Consumer Service URL) to this ACS URL." },
  SP_TIME_MISSING: { status: 403, message: 'The assertion lacks a required time limit (NotOnOrAfter).', hint: 'SAML Profiles 4.1.4.2 requires NotOnOrAfter on bearer SubjectConfirmationData.' },
  SP_TIME_NOT_YET_VALID: { status: 403, message: 'The assertion is not valid yet.', hint: "The IdP's clock is ahead of this machine's; sync both clocks (NTP) or raise the allowed skew." },
  SP_TIME_EXPIRED: { status: 403, message: 'The assertion has expired.', hint: 'Responses are valid for minutes; replaying an old capture needs `check --now`, or the clocks are out of sync.' },
  SP_AUDIENCE_MISSING: { status: 403, message: 'The assertion has no AudienceRestriction.', hint: "Entra adds the app's Identifier as Audience; check the app's Basic SAML Configuration." },
  SP_AUDIENCE_MISMATCH: { status: 403, message: "The Audience is not the account's Identifier.", hint: "Set Entra's Identifier (Entity ID) to the account's Identifier shown in the report." },
  SP_IN_RESPONSE_TO_UNKNOWN: { status: 403, message: 'InResponseTo names a request this SP did not send (or already used).', hint: 'Start sign-in again from /login/saml; each request id can be answered once.' },
  SP_IN_RESPONSE_TO_EXPIRED: { status: 403, message: 'InResponseTo names a request that has expired.', hint: 'Sign-in took longer than the pending-request lifetime; start again.' },
  SP_IN_RESPONSE_TO_INCONSISTENT: { status: 403, message: 'InResponseTo differs between the Response and the SubjectConfirmationData.', hint: 'Both must name the same request (SAML Profiles 4.1.4.2).' },
  SP_IN_RESPONSE_TO_WRONG_ACCOUNT: { status: 403, message: 'InResponseTo names a request sent for a different account.', hint: 'The response was issued for another Mimecast account; check the app used in Entra.' },
  SP_IDP_INITIATED_DISABLED: { status: 403, message: 'The response is IdP-initiated (no InResponseTo) but the profile does not Allow Single Sign On.', hint: "Tick 'Allow Single Sign On' on the authentication profile, or start from /login/saml." },
  SP_ASSERTION_ID_MISSING: { status: 403, message: 'The assertion has no ID, so it can neither be signed by reference nor guarded against replay.', hint: 'SAML Core 2.3.3 requires an ID on every assertion; Entra always sends one.' },
  SP_AUTHN_STATEMENT_MISSING: { status: 403, message: 'The assertion has no AuthnStatement.', hint: 'SAML Profiles 4.1.4.2 requires an AuthnStatement in the assertion used for Web Browser SSO.' },
  SP_VERSION_UNSUPPORTED: { status: 403, message: 'The message is not SAML 2.0 (Version is not "2.0").', hint: 'Only SAML 2.0 responses are accepted (SAML Core 3.2.2, 2.3.3).' },
  SP_REPLAY: { status: 403, message: 'This assertion was already used to sign in.', hint: 'Each assertion is accepted once; sign in again to get a new one.' },
  SP_NAMEID_MISSING: { status: 403, message: 'The assertion has no NameID.', hint: "Set Attributes & Claims › Unique User Identifier (Name ID) to user.userprincipalname or user.mail." },
  SP_NAMEID_NOT_EMAIL: { status: 403, message: 'The NameID is not an email address.', hint: "Mimecast matches on primary email address: set the Name ID source to user.userprincipalname (or user.mail) and format to Email address." },
  SP_USER_NOT_FOUND: { status: 403, message: "The NameID is not an address in the account's internal directory.", hint: 'Create the address under Directories › Internal Directories, or make the UPN equal the Mimecast primary email address.' },
  SP_AUTHN_CONTEXT_MISMATCH: { status: 403, message: 'The authentication context does not match what the profile requested.', hint: "Untick 'Use Password protected Context' / 'Use Integrated Authentication Context' on the profile, or sign in with the requested method." },
  SP_NODE_SAML_DISAGREES: { status: 403, message: 'node-saml read a different assertion or user from this message than the SP did.', hint: 'Two parsers that see two documents is how signature wrapping works; the message is refused. Report it with the trace if the IdP is genuine.' },
  SP_NODE_SAML_REJECTED: { status: 403, message: 'node-saml refused the response.', hint: 'See the message; the other checks usually name the same fault with a precise fix.' },

  // --- Single logout (SAML Profiles 4.4, HTTP-Redirect) ---------------------------------------------
  SP_LOGOUT_WRONG_ROOT: { status: 400, message: 'The logout message is not the expected samlp:LogoutRequest or samlp:LogoutResponse.', hint: 'Send a LogoutRequest in SAMLRequest, or a LogoutResponse in SAMLResponse, to /logout/saml (HTTP-Redirect binding).' },
  SP_LOGOUT_ACCOUNT_UNRESOLVED: { status: 403, message: 'No account matches this logout message (not by the request it answers, the signed-in session or its Issuer).', hint: "Import the App Federation Metadata Url into the account's profile so that its Issuer URL is Entra's issuer." },
  SP_LOGOUT_ISSUER_MISMATCH: { status: 403, message: "The logout message's Issuer is not the one the profile's IdP uses.", hint: "A LogoutRequest carries the profile's Issuer URL (Entra: https://sts.windows.net/<tenant-id>/); Entra's LogoutResponse carries https://login.microsoftonline.com/<tenant-id>/ (the host of the profile's Logout URL). Import the app's metadata again." },
  SP_LOGOUT_DESTINATION_MISSING: { status: 200, message: 'The logout message has no Destination.', hint: 'SAML Bindings 3.4.5.2: a signed Redirect-binding message should carry Destination.' },
  SP_LOGOUT_DESTINATION_MISMATCH: { status: 403, message: "The logout message's Destination is not this SP's logout URL.", hint: "Set the Entra app's Logout Url to this SP's /logout/saml address." },
  SP_LOGOUT_UNSIGNED: { status: 403, message: 'The logout message carries no Redirect-binding signature (SigAlg and Signature).', hint: 'Entra signs its logout messages with the app\'s SAML signing certificate; an unsigned LogoutRequest could come from anyone (SAML Profiles 4.4.4.1).' },
  SP_LOGOUT_SIGNATURE_INVALID: { status: 403, message: "The logout message's signature does not verify with any of the profile's Identity Provider Certificates.", hint: "Entra's active certificate may have changed: import the App Federation Metadata Url again. A proxy that re-encodes the query string also breaks the signature." },
  SP_LOGOUT_IN_RESPONSE_TO_UNKNOWN: { status: 403, message: 'The LogoutResponse answers no logout request this SP sent (or one already answered).', hint: 'Start single logout again from /logout/saml; each LogoutRequest can be answered once.' },
  SP_LOGOUT_STATUS_NOT_SUCCESS: { status: 200, message: 'The IdP did not report a complete logout.', hint: 'The local session is ended anyway; the IdP session may still be open, so sign out at Entra (My Apps › Sign out) too.' },
  SP_LOGOUT_EXPIRED: { status: 403, message: 'The LogoutRequest is past its NotOnOrAfter.', hint: "The link is old, or the IdP's clock is ahead of this machine's; sync both clocks (NTP)." },
  SP_LOGOUT_UNKNOWN_PRINCIPAL: { status: 200, message: 'The LogoutRequest names a user or session that is not signed in here.', hint: 'Nothing was ended; the SP answered Requester/UnknownPrincipal (SAML Core 3.7.3.2).' },

  // --- Mock Entra ID (IdP): AADSTS errors and its admin API --------------------------------------
  IDP_AADSTS750054: { status: 400, aadsts: '750054', message: 'SAMLRequest or SAMLResponse must be present as query string parameters in HTTP request for SAML Redirect binding.', hint: 'Send the AuthnRequest in a SAMLRequest parameter (HTTP-Redirect query or HTTP-POST form field) to /<tenant-id>/saml2.' },
  IDP_AADSTS750056: { status: 400, aadsts: '750056', message: 'SAML message was not properly base64 encoded.', hint: 'HTTP-Redirect: DEFLATE, then base64, then URL-encode; HTTP-POST: base64 of the XML. The XML must be a samlp:AuthnRequest or samlp:LogoutRequest.' },
  IDP_AADSTS7500529: { status: 400, aadsts: '7500529', template: "The value '{id}' is not a valid SAML ID. The ID must not begin with a number.", message: "The value is not a valid SAML ID. The ID must not begin with a number.", hint: 'Make the AuthnRequest ID an NCName, e.g. _<guid> (SAML Core 1.3.4).' },
  IDP_AADSTS700016: { status: 400, aadsts: '700016', template: "Application with identifier '{identifier}' was not found in the directory '{tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.", message: 'Application with identifier was not found in the directory.', hint: "The Issuer of the AuthnRequest or LogoutRequest must equal one of the app's Identifiers (Entity ID) in Basic SAML Configuration, and the request must go to that app's tenant." },
  IDP_AADSTS75005: { status: 400, aadsts: '75005', message: 'The request is not a valid Saml2 protocol message.', hint: "A LogoutRequest's Destination, when present, must be the SAML endpoint of the tenant it is sent to (https://<idp>/<tenant-id>/saml2, the Logout URL under Set up <App>)." },
  IDP_ACS75003: { status: 400, message: "ACS75003: UnsupportedBinding. The AuthnRequest's ProtocolBinding is not supported; Entra sends SAML responses with HTTP-POST only.", hint: 'Leave ProtocolBinding out of the AuthnRequest or set it to urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST.' },
  IDP_AUTHN_REQUEST_SUBJECT: { status: 400, message: 'The AuthnRequest carries a Subject, which Microsoft Entra ID does not support (inferred wording; the protocol doc says to leave Subject out).', hint: 'Remove saml:Subject from the AuthnRequest; the user is chosen on the sign-in page.' },
  IDP_NAMEID_POLICY_UNSUPPORTED: { status: 400, message: 'The NameIDPolicy Format is not supported (inferred wording; the protocol doc lists emailAddress, persistent, transient and unspecified).', hint: 'Ask for one of the four documented formats, or leave NameIDPolicy out.' },
  IDP_AUTHN_CONTEXT_COMPARISON_UNSUPPORTED: { status: 400, message: "The RequestedAuthnContext Comparison is not supported (inferred wording; the protocol doc supports only 'exact').", hint: "Send Comparison=\"exact\" or leave it out (it defaults to exact)." },
  IDP_AADSTS50011: { status: 400, aadsts: '50011', template: "The redirect URI '{replyUrl}' specified in the request does not match the redirect URIs configured for the application '{appId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.", message: 'The redirect URI specified in the request does not match the redirect URIs configured for the application.', hint: "Add the AssertionConsumerServiceURL of the request to the app's Reply URLs (Basic SAML Configuration)." },
  IDP_AADSTS50058: { status: 400, aadsts: '50058', message: 'A silent sign-in request was sent but no user is signed in.', hint: 'The AuthnRequest has IsPassive="true" and nobody is signed in at Entra in this browser: sign in first, or send the request without IsPassive.' },
  IDP_AADSTS7000112: { status: 403, aadsts: '7000112', template: "Application '{appId}'({appName}) is disabled.", message: 'The application is disabled.', hint: 'Set "Enabled for users to sign-in?" to Yes under the app\'s Properties.' },
  IDP_AADSTS50105: { status: 403, aadsts: '50105', template: "Your administrator has configured the application {appName} ('{appId}') to block users unless they are specifically granted ('assigned') access to the application. The signed in user '{upn}' is blocked because they are not a direct member of a group with access, nor had access directly assigned by an administrator. Please contact your administrator to assign access to this application.", message: 'The signed in user is not assigned to a role for the application.', hint: 'Assign the user under Users and groups › Add user/group, or set "Assignment required?" to No.' },
  IDP_AADSTS75011: { status: 400, aadsts: '75011', template: "Authentication method '{method}' by which the user authenticated with the service doesn't match requested authentication method '{requested}'. Contact the {appName} application owner.", message: "Authentication method by which the user authenticated with the service doesn't match requested authentication method.", hint: "Untick 'Use Password protected Context' / 'Use Integrated Authentication Context' in the Mimecast profile, or sign in with the requested method." },
  IDP_AADSTS90002: { status: 404, aadsts: '90002', template: "Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.", message: 'Tenant not found.', hint: 'Check the tenant id (or domain) in the URL; list tenants with GET /api/tenants.' },
  IDP_LOGOUT_UNKNOWN_PRINCIPAL: { status: 200, message: 'The sign-out request names another user or session than the one signed in here, so nobody was signed out.', hint: 'The app must send the NameID (and SessionIndex) it was given at sign-in. To sign out, use the app that signed you in, or My Apps › Sign out.' },
  IDP_TENANT_NOT_FOUND: { status: 404, aadsts: '90002', message: 'No tenant has this id or domain.', hint: 'List tenants with GET /api/tenants or create one with POST /api/tenants.' },
  IDP_TENANT_EXISTS: { status: 409, message: 'A tenant with this id or name already exists.', hint: 'Tenant ids and names are unique; pick another name.' },
  IDP_APP_NOT_FOUND: { status: 404, aadsts: '700016', message: 'No enterprise application has this appid in the tenant.', hint: 'List apps with GET /api/tenants/{tenantId}/apps; the appid is the Application ID, not the object id.' },
  IDP_USER_NOT_FOUND: { status: 404, message: 'No user has this user principal name in the tenant.', hint: 'List users with GET /api/tenants/{tenantId}/users.' },
  IDP_USER_EXISTS: { status: 409, message: 'Another object with the same value for property userPrincipalName already exists.', hint: 'User principal names are unique in a tenant (case-insensitive).' },
  IDP_UPN_INVALID: { status: 400, message: 'Property userPrincipalName is invalid.', hint: "Before the @ use only A–Z, a–z, 0–9 and ' . - _ ! # ^ ~ (at most 64, no period first or last); after it, one of the tenant's domain names." },
  IDP_MAIL_INVALID: { status: 400, message: 'Property mail is invalid.', hint: 'Give an email address such as alex@contoso.com (one @, a dotted domain, no spaces), or leave mail out for a user without a mailbox.' },
  IDP_UPN_DOMAIN_NOT_VERIFIED: { status: 422, message: "The user principal name's domain is not a verified domain of the tenant.", hint: "Use the tenant's name (e.g. contoso.onmicrosoft.com) or one of its verifiedDomains." },
  IDP_IDENTIFIER_IN_USE: { status: 409, message: 'Please enter an identifier which is unique within your organization.', hint: 'Another app in this tenant already has this Identifier (Entity ID); remove it there first.' },
  IDP_CERTIFICATE_NOT_FOUND: { status: 404, message: 'The app has no signing certificate with this id.', hint: 'List certificates with GET /api/tenants/{tenantId}/apps/{appId}.' },
  IDP_AADSTS500121: { status: 401, aadsts: '500121', message: 'Authentication failed during strong authentication request.', hint: 'The sign-in request was denied in the Authenticator app (in the mock: "Deny" on the Approve sign in request page); start again and approve it.' },
  IDP_AADSTS50034: { status: 400, aadsts: '50034', message: 'The user account does not exist in the directory.', hint: "Type the user principal name of a user of this tenant (Users › All users)." },
  IDP_AADSTS50057: { status: 401, aadsts: '50057', message: 'The user account is disabled.', hint: 'Set "Account enabled" to Yes for the user, or sign in as another user.' },
  IDP_BAD_CREDENTIALS: { status: 401, aadsts: '50126', message: "Your account or password is incorrect. If you don't remember your password, reset it now.", hint: 'Check the user principal name and password.' },
  IDP_SIGN_IN_EXPIRED: { status: 400, aadsts: '50058', message: 'This sign-in request is no longer pending in this browser.', hint: 'Start again from the application (or /myapps); sign-in pages cannot be resubmitted.' },
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof catalogue;

/** Looks up a code in the catalogue. */
export function describeError(code: ErrorCode): CatalogueEntry {
  return catalogue[code];
}

/**
 * The code's template with each `{name}` replaced by its value (one linear pass); the plain message
 * when the code has no template. A placeholder without a value stays as written.
 */
export function fillTemplate(code: ErrorCode, values: Readonly<Record<string, string>>): string {
  const entry: CatalogueEntry = catalogue[code];
  if (!entry.template) return entry.message;
  return entry.template.replace(/\{(\w{1,40})\}/g, (whole, name: string) => values[name] ?? whole);
}

/** Every code, for documentation and for tests that walk the catalogue. */
export const errorCodes = Object.keys(catalogue) as ErrorCode[];

/** An error the product means to show: it carries its catalogue code and maybe details. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly hint: string;
  readonly details: unknown;

  constructor(code: ErrorCode, message?: string, options: { hint?: string; details?: unknown; cause?: unknown } = {}) {
    const entry = catalogue[code];
    super(message ?? entry.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = entry.status;
    this.hint = options.hint ?? entry.hint;
    this.details = options.details;
  }

  /** The API body: `{ error, message, hint }` and `details` when there are some. */
  toJSON(): { error: ErrorCode; message: string; hint: string; details?: unknown } {
    return this.details === undefined
      ? { error: this.code, message: this.message, hint: this.hint }
      : { error: this.code, message: this.message, hint: this.hint, details: this.details };
  }
}

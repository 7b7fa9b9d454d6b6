from mentora.console.sections import Section, register

register(Section("signon", "Sign-on", "console:signon_list",
                 "Each institution's sign-on (OpenID Connect or SAML 2.0), with a test.",
                 order=50))

from mentora.console.sections import Section, register

register(Section("provisioning", "SCIM provisioning", "console:provisioning_list",
                 "Each institution's SCIM 2.0 token, and the program role each of its groups gives.",
                 order=55))

import rules

rules.add_perm("geography.view_adminunit", rules.always_allow)

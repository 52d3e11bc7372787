//! Messages of account administration (DESIGN §8).

use super::Text;

/// A role name that is not one of the four.
pub fn unknown_role(got: &str) -> Text {
    Text::new(
        format!("角色“{got}”不存在，应为 admin、clerk、organiser 或 trainee"),
        format!("unknown role `{got}`; expected admin, clerk, organiser or trainee"),
    )
}

/// A role change to or from trainee.
pub fn trainee_role_fixed() -> Text {
    Text::new(
        "学员账号与其他角色之间不能互改；请停用旧账号并新建账号",
        "an account cannot change to or from the trainee role; disable it and create a new one",
    )
}

/// An admin disabling or demoting their own account.
pub fn not_on_own_account() -> Text {
    Text::new(
        "不能停用自己的账号或取消自己的管理员角色；请由另一位管理员操作",
        "you cannot disable or demote your own account; ask another admin",
    )
}

/// Signing in to a disabled account (after a right password).
pub fn account_disabled() -> Text {
    Text::new("该账号已停用，请联系管理员", "this account is disabled; ask an admin")
}

/// A new password equal to the current one.
pub fn password_unchanged() -> Text {
    Text::new("新密码不能与当前密码相同", "the new password must differ from the current one")
}

/// A second account for a labourer record that has one.
pub fn labourer_has_account(username: &str) -> Text {
    Text::new(
        format!("这位劳动力已有学员账号“{username}”，一人只能有一个账号；忘记密码请由管理员重置"),
        format!("this labourer already has the trainee account '{username}'; one account per person (an admin can reset its password)"),
    )
}

/// `active` and `disabled` both given, saying opposite things.
pub fn active_contradicts_disabled() -> Text {
    Text::new("“active”与“disabled”说法相反：只给其中一个即可", "active and disabled contradict each other; give one")
}

/// Job alerts asked to go to an address other than the account's own.
pub fn alerts_not_to_own(own: Option<&str>) -> Text {
    match own {
        Some(own) => Text::new(
            format!("提醒只能发到本账号登记的邮箱（{own}）；要换邮箱，请联系经办人员修改账号"),
            format!("alerts go to the account's own address ({own}); ask a clerk to change the account's address"),
        ),
        None => Text::new(
            "本账号还没有登记邮箱，提醒只能发到账号登记的邮箱：请联系经办人员为账号登记邮箱",
            "the account has no address yet, and alerts go only to the account's address: ask a clerk to add one",
        ),
    }
}

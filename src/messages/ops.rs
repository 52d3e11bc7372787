//! Messages for operators: readiness, backups.

use super::Text;

/// The service is up but should not be sent traffic yet.
pub fn not_ready() -> Text {
    Text::new("服务尚未就绪：见 errors 中列出的各项", "not ready: see the items listed in `errors`")
}

/// The database did not answer.
pub fn database_unreachable() -> Text {
    Text::new("数据库无法连接", "the database cannot be reached")
}

/// This instance's search index is too far behind the registry.
pub fn index_lagging(entries: i64, seconds: f64, max_entries: i64, max_secs: u64) -> Text {
    Text::new(
        format!(
            "搜索索引落后 {entries} 条记录变更（最早的已等 {seconds:.0} 秒）；上限为 {max_entries} 条、{max_secs} 秒"
        ),
        format!(
            "the search index is {entries} change(s) behind (the oldest waiting {seconds:.0} s); \
             the bound is {max_entries} changes and {max_secs} s"
        ),
    )
}

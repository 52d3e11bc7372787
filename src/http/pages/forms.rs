//! Form fields as the pages draw them: a visible label, `name=` equal to
//! the API's JSON field, and the registry's message for the field beside
//! it (`aria-invalid`, `aria-describedby`); and the one page every record's
//! form (a person, an employer, a posting) is drawn on.

use actix_web::HttpResponse;
use askama::Template;

use super::session::{Posted, Viewer};
use super::{page, Chrome, FieldMessages};
use crate::error::AppError;

/// One field of a form.
pub struct Field {
    /// The API's field name.
    pub name: &'static str,
    /// Its label.
    pub label: &'static str,
    /// The value shown.
    pub value: String,
    /// The rule's message, if it failed.
    pub error: Option<String>,
    /// `text`, `date`, `tel`, `number`, or `textarea` for a text area.
    pub input_type: &'static str,
    /// For a choice: (value, label); empty for an input.
    pub options: Vec<(String, String)>,
    /// Must be given.
    pub required: bool,
    /// A choice of any number of `options` (checkboxes); `value` holds the
    /// chosen codes separated by commas.
    pub many: bool,
    /// For a choice too long to list whole: where a search box above it
    /// fetches the options matching what is typed (`?find=`, with the
    /// choice's current value under its own name).
    pub find: Option<&'static str>,
    /// What the search box held when the form was posted.
    pub found: String,
    /// The record's value now, in words, when someone else saved another
    /// since the form was read (see [`changed_meanwhile`]).
    pub now: Option<String>,
}

impl Field {
    /// A text input.
    pub fn text(name: &'static str, label: &'static str) -> Field {
        Field {
            name,
            label,
            value: String::new(),
            error: None,
            input_type: "text",
            options: vec![],
            required: false,
            many: false,
            find: None,
            found: String::new(),
            now: None,
        }
    }

    /// An input of another type.
    pub fn typed(mut self, input_type: &'static str) -> Field {
        self.input_type = input_type;
        self
    }

    /// Marked as required.
    pub fn required(mut self) -> Field {
        self.required = true;
        self
    }

    /// A choice among `options` (the first may be "" for none).
    pub fn choice(mut self, options: Vec<(String, String)>) -> Field {
        self.options = options;
        self
    }

    /// With a search box that replaces the choice's options by those `url`
    /// finds for what is typed (see [`Field::find`]).
    pub fn found_at(mut self, url: &'static str) -> Field {
        self.find = Some(url);
        self
    }

    /// A choice of any number of `options` (no blank among them).
    pub fn choices(mut self, options: Vec<(String, String)>) -> Field {
        self.options = options;
        self.many = true;
        self
    }

    /// With a value.
    pub fn value(mut self, v: impl Into<String>) -> Field {
        self.value = v.into();
        self
    }

    /// Whether `code` is among the chosen values of a [`Field::choices`].
    pub fn checked(&self, code: &str) -> bool {
        self.value.split(',').any(|v| v == code)
    }

    /// `value` as the form shows it: a choice's label for its code (each
    /// one's, for several), （空） for nothing.
    fn in_words(&self, value: &str) -> String {
        if value.is_empty() {
            return "（空）".into();
        }
        if self.options.is_empty() {
            return value.to_string();
        }
        let label = |code: &str| {
            self.options.iter().find(|(v, _)| v == code).map_or_else(|| code.to_string(), |(_, l)| l.clone())
        };
        value.split(',').map(label).collect::<Vec<_>>().join("、")
    }
}

/// Fills `fields` with what was posted and the failing rules' messages;
/// messages for fields the form does not show are returned.
pub fn refill(fields: &mut [Field], posted: Option<&Posted>, errors: &FieldMessages) -> Vec<String> {
    for f in fields.iter_mut() {
        if let Some(p) = posted {
            f.value = if f.many { p.all(f.name).join(",") } else { p.get(f.name).unwrap_or_default() };
            if f.find.is_some() {
                f.found = p.get("find").unwrap_or_default();
            }
        }
        f.error = errors.get(f.name).map(str::to_string);
    }
    let shown: Vec<&str> = fields.iter().map(|f| f.name).collect();
    errors.others(&shown)
}

/// What a form says when the record changed after it was read.
const STALE: &str = "您打开这张表以后，别人修改并保存了这条记录。您没有改动的项已换成别人保存的值；您和别人都改了的项，保留您填写的，旁边写着别人保存的值。核对后再点“保存”。";

/// A field's values as the same set, whatever their order (a choice of
/// several is a set; any other value is itself).
fn same(f: &Field, a: &str, b: &str) -> bool {
    if f.many {
        let set = |v: &str| {
            v.split(',').filter(|c| !c.is_empty()).map(str::to_string).collect::<std::collections::BTreeSet<_>>()
        };
        set(a) == set(b)
    } else {
        a.trim() == b.trim()
    }
}

/// The form again after a stale version was refused (409), merged three
/// ways by each field's value when the form was read (`was.<field>`, see
/// [`record_form`]), as the clerk sent it, and as the record holds it
/// `now` (the record's fields as its edit form fills them):
///
/// - not changed by the clerk: the record's value now (a colleague's
///   change is kept, not undone by saving again), marked when it moved;
/// - changed by the clerk only: the clerk's value;
/// - changed by both, differently: the clerk's value, marked with the
///   record's.
///
/// The form then carries the current `version` and the record's values as
/// its new originals, so that saving again, once checked, is accepted.
pub fn changed_meanwhile(
    viewer: &Viewer,
    mut frame: Frame,
    now: Vec<Field>,
    version: i32,
    posted: &Posted,
) -> Result<HttpResponse, AppError> {
    let mut fields = now;
    let current: Vec<String> = fields.iter().map(|f| f.value.clone()).collect();
    let was: Vec<Option<String>> = fields.iter().map(|f| posted.sent(&format!("was.{}", f.name))).collect();
    refill(&mut fields, Some(posted), &FieldMessages::default());
    for ((f, current), was) in fields.iter_mut().zip(&current).zip(was) {
        let typed = f.value.clone();
        if same(f, &typed, current) {
            continue;
        }
        match was {
            Some(w) if same(f, &typed, &w) => {
                f.now = Some(format!("{}（您没有改这一项，已换成别人保存的值）", f.in_words(current)));
                f.value = current.clone();
            }
            Some(w) if same(f, current, &w) => {}
            _ => f.now = Some(f.in_words(current)),
        }
    }
    let originals = fields.iter().zip(current).map(|(f, v)| (f.name.to_string(), v)).collect();
    frame.version = Some(version);
    let mut res = form_page(viewer, frame, fields, vec![STALE.to_string()], None, originals)?;
    *res.status_mut() = actix_web::http::StatusCode::CONFLICT;
    Ok(res)
}

/// The posted values of `fields` as the API's JSON body: text as strings,
/// `numbers` as numbers where they read as one (else the text, so the
/// form reader names the field), blanks left out.
pub fn json_of(posted: &Posted, fields: &[&str], numbers: &[&str]) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    for f in fields {
        if let Some(v) = posted.get(f) {
            let value = if numbers.contains(f) {
                v.parse::<i64>().map(serde_json::Value::from).unwrap_or_else(|_| v.clone().into())
            } else {
                v.into()
            };
            m.insert((*f).to_string(), value);
        }
    }
    serde_json::Value::Object(m)
}

/// Turns the posted `是/否` choice of `field` (`true`/`false`) into a JSON
/// bool; any other text stays text, so the form reader names the field.
pub fn bool_of(json: &mut serde_json::Value, field: &str) {
    if let Some(slot) = json.get_mut(field) {
        match slot.as_str() {
            Some("true") => *slot = true.into(),
            Some("false") => *slot = false.into(),
            _ => {}
        }
    }
}

/// Every posted value of the checkboxes `field` as a JSON list of text.
pub fn list_of(json: &mut serde_json::Value, posted: &Posted, field: &str) {
    if let Some(m) = json.as_object_mut() {
        m.insert(field.to_string(), posted.all(field).into());
    }
}

/// A 422's field messages, or the error itself when it is not one.
pub fn messages_of(e: AppError) -> Result<FieldMessages, AppError> {
    match e {
        AppError::Validation(list) => Ok(FieldMessages::of(&list)),
        // Someone else saved the record since the form was read: the whole
        // record's message (reload and try again), not "version".
        AppError::Conflict { detail, errors, .. } if errors.iter().all(|e| e.field == "version") => {
            Ok(FieldMessages::of(&[crate::error::FieldError::new("", "stale", detail)]).stale())
        }
        AppError::Conflict { ref errors, existing_id, .. } if !errors.is_empty() => {
            Ok(FieldMessages::of(errors).about_existing(existing_id))
        }
        AppError::Conflict { detail, .. } => {
            Ok(FieldMessages::of(&[crate::error::FieldError::new("", "conflict", detail)]))
        }
        other => Err(other),
    }
}

/// `(code, Chinese label)` of an enum's values, with a blank first.
pub fn options<T: Copy>(all: &[T], code: fn(T) -> &'static str, label: fn(T) -> &'static str) -> Vec<(String, String)> {
    std::iter::once((String::new(), "（请选择）".to_string()))
        .chain(all.iter().map(|v| (code(*v).to_string(), label(*v).to_string())))
        .collect()
}

#[derive(askama::Template)]
#[template(path = "fields.html")]
struct FieldsHtml<'a> {
    fields: &'a [Field],
}

/// The fields as HTML, for a page to place inside its form.
pub fn html(fields: &[Field]) -> Result<String, AppError> {
    super::html(&FieldsHtml { fields })
}

/// What surrounds a record's fields on its form page.
pub struct Frame {
    /// The page's heading (and title).
    pub heading: String,
    /// Where the form posts.
    pub action: String,
    /// Where 取消 leads.
    pub back: String,
    /// The version read, for a change (optimistic locking).
    pub version: Option<i32>,
}

#[derive(Template)]
#[template(path = "record_form.html")]
struct RecordForm {
    chrome: Chrome,
    frame: Frame,
    fields_html: String,
    others: Vec<String>,
    /// The page of the record a duplicate ID number or USCC names.
    existing: Option<String>,
    /// A change's form: each field's value as the record held it when the
    /// form was read (`was.<field>`), so that a form refused because
    /// someone else saved meanwhile can tell the clerk's changes from theirs.
    originals: Vec<(String, String)>,
}

/// A record's form page: `fields` refilled with what was `posted` and each
/// failing rule's message beside its field (422 when any failed; the
/// messages of fields it does not show are listed above it).
pub fn record_form(
    viewer: &Viewer,
    frame: Frame,
    mut fields: Vec<Field>,
    posted: Option<&Posted>,
    errors: &FieldMessages,
) -> Result<HttpResponse, AppError> {
    // A change's originals: as read now, or carried from the form posted.
    let originals: Vec<(String, String)> = match (frame.version, posted) {
        (None, _) => Vec::new(),
        (Some(_), None) => fields.iter().map(|f| (f.name.to_string(), f.value.clone())).collect(),
        (Some(_), Some(p)) => {
            fields.iter().filter_map(|f| p.sent(&format!("was.{}", f.name)).map(|v| (f.name.to_string(), v))).collect()
        }
    };
    let others = refill(&mut fields, posted, errors);
    // A duplicate's record is in the form's own collection: the form of
    // /desk/labourers/new links to /desk/labourers/N.
    let collection: Vec<&str> = frame.action.split('/').take(3).collect();
    let existing = errors.existing().map(|n| format!("{}/{n}", collection.join("/")));
    let mut res = form_page(viewer, frame, fields, others, existing, originals)?;
    if !errors.is_empty() {
        *res.status_mut() = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

/// A record's form page as drawn, with messages above it.
fn form_page(
    viewer: &Viewer,
    frame: Frame,
    fields: Vec<Field>,
    others: Vec<String>,
    existing: Option<String>,
    originals: Vec<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let f = RecordForm {
        chrome: Chrome::new(viewer, frame.heading.clone()),
        frame,
        fields_html: html(&fields)?,
        others,
        existing,
        originals,
    };
    page(viewer, &f)
}

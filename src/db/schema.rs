//! Table definitions shared by both backends; written to match
//! `migrations/{sqlite,postgres}` (the types are the common subset of both).

diesel::table! {
    labourers (id) {
        id -> BigInt,
        id_number -> Text,
        name -> Text,
        gender -> Text,
        birth_date -> Date,
        phone -> Nullable<Text>,
        hukou_region_code -> Nullable<Text>,
        hukou_township -> Nullable<Text>,
        hukou_village -> Nullable<Text>,
        poverty_status -> Text,
        household_no -> Nullable<Text>,
        education -> Nullable<Text>,
        skills -> Text,
        desired_occupations -> Text,
        desired_region_codes -> Text,
        available_from -> Nullable<Date>,
        notes -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    employers (id) {
        id -> BigInt,
        name -> Text,
        uscc -> Nullable<Text>,
        region_code -> Text,
        address -> Nullable<Text>,
        industry -> Nullable<Text>,
        contact_name -> Nullable<Text>,
        contact_phone -> Nullable<Text>,
        is_poverty_workshop -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    postings (id) {
        id -> BigInt,
        employer_id -> BigInt,
        title -> Text,
        occupation -> Nullable<Text>,
        description -> Nullable<Text>,
        headcount -> Integer,
        salary_min -> Nullable<Integer>,
        salary_max -> Nullable<Integer>,
        region_code -> Text,
        min_age -> Nullable<Integer>,
        max_age -> Nullable<Integer>,
        gender_requirement -> Text,
        education_min -> Nullable<Text>,
        benefits -> Text,
        status -> Text,
        opens_on -> Nullable<Date>,
        closes_on -> Nullable<Date>,
        job_fair_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    placements (id) {
        id -> BigInt,
        labourer_id -> BigInt,
        employer_id -> Nullable<BigInt>,
        employer_name -> Nullable<Text>,
        posting_id -> Nullable<BigInt>,
        region_code -> Text,
        occupation -> Nullable<Text>,
        started_on -> Date,
        ended_on -> Nullable<Date>,
        monthly_income -> Nullable<Integer>,
        channel -> Text,
        part_time -> Bool,
        evidence -> Nullable<Text>,
        verified_on -> Nullable<Date>,
        notes -> Nullable<Text>,
        job_fair_id -> Nullable<BigInt>,
        enrolment_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        username -> Text,
        role -> Text,
        unit -> Nullable<Text>,
        labourer_id -> Nullable<BigInt>,
        password_hash -> Nullable<Text>,
        failed_logins -> Integer,
        locked_until -> Nullable<Timestamp>,
        email -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
        disabled_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        token_hash -> Text,
        kind -> Text,
        created_at -> Timestamp,
        expires_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        actor -> Text,
        actor_id -> Nullable<BigInt>,
        action -> Text,
        resource -> Text,
        resource_id -> Nullable<BigInt>,
        at -> Timestamp,
        before -> Nullable<Text>,
        after -> Nullable<Text>,
        import_id -> Nullable<BigInt>,
    }
}

diesel::table! {
    outbox (id) {
        id -> BigInt,
        resource -> Text,
        resource_id -> BigInt,
        op -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    job_fairs (id) {
        id -> BigInt,
        name -> Text,
        held_on -> Date,
        venue -> Nullable<Text>,
        region_code -> Text,
        organisers -> Text,
        online -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    job_fair_employers (id) {
        id -> BigInt,
        job_fair_id -> BigInt,
        employer_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    job_fair_attendees (id) {
        id -> BigInt,
        job_fair_id -> BigInt,
        labourer_id -> BigInt,
        checked_in_at -> Timestamp,
        checked_in_by -> Text,
    }
}

diesel::table! {
    job_fair_intentions (id) {
        id -> BigInt,
        job_fair_id -> BigInt,
        labourer_id -> BigInt,
        posting_id -> BigInt,
        status -> Text,
        placement_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    training_programmes (id) {
        id -> BigInt,
        name -> Text,
        occupation -> Nullable<Text>,
        provider -> Text,
        provider_region_code -> Nullable<Text>,
        free -> Bool,
        certificate_name -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    training_sessions (id) {
        id -> BigInt,
        programme_id -> BigInt,
        starts_on -> Date,
        ends_on -> Date,
        capacity -> Integer,
        location -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    enrolments (id) {
        id -> BigInt,
        session_id -> BigInt,
        labourer_id -> BigInt,
        status -> Text,
        completed_on -> Nullable<Date>,
        certificate_no -> Nullable<Text>,
        certificate_kind -> Nullable<Text>,
        certificate_level -> Nullable<Text>,
        certified_on -> Nullable<Date>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    vocational_enrolments (id) {
        id -> BigInt,
        labourer_id -> BigInt,
        school_name -> Text,
        school_region_code -> Text,
        major -> Nullable<Text>,
        enrolled_on -> Date,
        status -> Text,
        graduated_on -> Nullable<Date>,
        left_on -> Nullable<Date>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    targets (id) {
        id -> BigInt,
        year -> Integer,
        metric -> Text,
        min_value -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    deadlines (id) {
        id -> BigInt,
        name -> Text,
        due_on -> Date,
        what -> Text,
        recipients -> Text,
        remind_days_before -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> Integer,
    }
}

diesel::table! {
    submissions (id) {
        id -> BigInt,
        year -> Integer,
        as_of -> Date,
        recipients -> Text,
        subject -> Text,
        attachment_name -> Text,
        attachment -> Binary,
        attachment_sha256 -> Text,
        status -> Text,
        attempts -> Integer,
        smtp_response -> Nullable<Text>,
        message_id -> Nullable<Text>,
        error -> Nullable<Text>,
        sent_by -> Text,
        sent_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    deadline_reminders (id) {
        id -> BigInt,
        deadline_id -> BigInt,
        days_before -> Integer,
        status -> Text,
        claimed_by -> Text,
        claimed_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        smtp_response -> Nullable<Text>,
        error -> Nullable<Text>,
    }
}

diesel::table! {
    saved_searches (id) {
        id -> BigInt,
        user_id -> BigInt,
        email -> Nullable<Text>,
        query -> Text,
        filters -> Text,
        high_water -> BigInt,
        unsubscribe_token -> Text,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    alert_deliveries (id) {
        id -> BigInt,
        saved_search_id -> BigInt,
        posting_ids -> Text,
        sent_at -> Timestamp,
        smtp_response -> Nullable<Text>,
    }
}

diesel::table! {
    imports (id) {
        id -> BigInt,
        kind -> Text,
        mode -> Text,
        status -> Text,
        accept_partial -> Bool,
        file_name -> Nullable<Text>,
        file_sha256 -> Text,
        actor -> Text,
        actor_id -> Nullable<BigInt>,
        header_row -> Nullable<Integer>,
        headers -> Nullable<Text>,
        summary -> Nullable<Text>,
        created_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    import_rows (import_id, row_no) {
        import_id -> BigInt,
        row_no -> Integer,
        action -> Text,
        target_id -> Nullable<BigInt>,
        payload -> Nullable<Text>,
        cells -> Nullable<Text>,
        errors -> Nullable<Text>,
    }
}

diesel::table! {
    duplicate_dismissals (labourer_a, labourer_b) {
        labourer_a -> BigInt,
        labourer_b -> BigInt,
        dismissed_by -> Text,
        dismissed_at -> Timestamp,
    }
}

diesel::joinable!(postings -> employers (employer_id));
diesel::joinable!(job_fair_attendees -> labourers (labourer_id));
diesel::joinable!(job_fair_attendees -> job_fairs (job_fair_id));
diesel::joinable!(job_fair_employers -> employers (employer_id));
diesel::joinable!(enrolments -> training_sessions (session_id));
diesel::joinable!(training_sessions -> training_programmes (programme_id));
diesel::joinable!(placements -> labourers (labourer_id));
diesel::joinable!(api_tokens -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    labourers,
    employers,
    postings,
    placements,
    users,
    api_tokens,
    audit_log,
    outbox,
    job_fairs,
    job_fair_employers,
    job_fair_attendees,
    job_fair_intentions,
    training_programmes,
    training_sessions,
    enrolments,
    vocational_enrolments,
    targets,
    deadlines,
    submissions,
    deadline_reminders,
    saved_searches,
    alert_deliveries,
    imports,
    import_rows,
    duplicate_dismissals,
);

package org.csmetrics;

/**
 * Product activity (csmetrics/activity.h): seat activation, active users,
 * stickiness and depth of use per account, group or lifecycle stage
 * (tables "activity" and "activity_measures").  Rows are given as columns:
 * accountId is required, every other column optional (null = absent), all
 * of the accounts' length.
 */
public final class Activity {
    long[] accountId;
    int[] role, segment, cohort;
    double[] licensedSeats, activatedSeats, activeUsers, sessions, minutes, featuresUsed,
        featuresAvailable, dau, mau;

    /** Rows of accounts with these ids. */
    public Activity(long[] accountId) {
        Native.required("account_id", accountId);
        this.accountId = accountId.clone();
    }

    private Activity check() {
        Native.sameLength(accountId.length, new String[] {"role", "segment", "cohort",
            "licensed_seats", "activated_seats", "active_users", "sessions", "minutes",
            "features_used", "features_available", "dau", "mau"}, role, segment, cohort,
            licensedSeats, activatedSeats, activeUsers, sessions, minutes, featuresUsed,
            featuresAvailable, dau, mau);
        return this;
    }

    /** Role codes. */
    public Activity role(int[] v) { role = v.clone(); return check(); }
    /** Segment codes. */
    public Activity segment(int[] v) { segment = v.clone(); return check(); }
    /** Signing month indexes (cohorts, lifecycle stages). */
    public Activity cohort(int[] v) { cohort = v.clone(); return check(); }
    /** Seats paid for. */
    public Activity licensedSeats(double[] v) { licensedSeats = v.clone(); return check(); }
    /** Seats activated. */
    public Activity activatedSeats(double[] v) { activatedSeats = v.clone(); return check(); }
    /** Users active in the period. */
    public Activity activeUsers(double[] v) { activeUsers = v.clone(); return check(); }
    /** Sessions in the period. */
    public Activity sessions(double[] v) { sessions = v.clone(); return check(); }
    /** Minutes of use in the period. */
    public Activity minutes(double[] v) { minutes = v.clone(); return check(); }
    /** Distinct features used. */
    public Activity featuresUsed(double[] v) { featuresUsed = v.clone(); return check(); }
    /** Features available to the account. */
    public Activity featuresAvailable(double[] v) { featuresAvailable = v.clone(); return check(); }
    /** Average daily active users. */
    public Activity dau(double[] v) { dau = v.clone(); return check(); }
    /** Monthly active users. */
    public Activity mau(double[] v) { mau = v.clone(); return check(); }

    /** Options of activity (csm_activity_opts). */
    public static final class Options {
        final activity_opts raw = new activity_opts();
        int[] stage, category;

        /** The breakdown: csm_activity_group code (0 = accounts). */
        public Options groupBy(int g) { raw.setGroup_by(g); return this; }
        /** Clamp ratios to [0, 1]. */
        public Options clamp(boolean on) { raw.setClamp(on ? 1 : 0); return this; }
        /** NaN inputs are missing rather than errors. */
        public Options nanMissing(boolean on) { raw.setNan_missing(on ? 1 : 0); return this; }
        /** The month of the figures (tenure, stages). */
        public Options month(java.time.YearMonth m) { raw.setMonth(Csm.monthIndex(m)); return this; }
        /** Lifecycle stage boundaries in months of tenure. */
        public Options stages(int launch, int growth, int mature) {
            raw.setLaunch_month(launch);
            raw.setGrowth_month(growth);
            raw.setMature_month(mature);
            return this;
        }
        /** Per-row stage codes (group by stage). */
        public Options stage(int[] v) { stage = v.clone(); return this; }
        /** Per-row product category codes (group by category). */
        public Options category(int[] v) { category = v.clone(); return this; }
    }

    /** Compute the activity tables; opts may be null. */
    public ResultTable compute(Options opts) {
        if (opts != null)
            Native.sameLength(accountId.length, new String[] {"stage", "category"}, opts.stage,
                opts.category);
        return ResultTable.read(CsmNative.activity_compute(accountId, role, segment, cohort,
            licensedSeats, activatedSeats, activeUsers, sessions, minutes, featuresUsed,
            featuresAvailable, dau, mau, accountId.length, opts == null ? null : opts.raw,
            opts == null ? null : opts.stage, opts == null ? null : opts.category), null);
    }
}

/*
 * subscriptions.i - subscription exports to the ledger
 * (csmetrics/subscriptions.h).  The items and the rate table are dicts of
 * columns (CSM_PY_COLUMNS); csm_py_subscriptions_to_ledger is
 * csm_subscriptions_to_ledger with the rate table optional (None -> NULL:
 * one currency, no conversion).  The names of statuses, intervals and
 * currencies are read by the library (csm_subscriptions_*_code).
 */

CSM_PY_OPTS(csm_subscriptions_opts, csm_subscriptions_opts_init)

%{
static const csm_py_column csm_py_subscriptions_spec[] = {
    CSM_PY_COLUMN(csm_subscriptions, subscription_id, NPY_INT64),
    CSM_PY_COLUMN(csm_subscriptions, customer_id, NPY_INT64),
    CSM_PY_COLUMN(csm_subscriptions, status, NPY_UINT8),
    CSM_PY_COLUMN(csm_subscriptions, amount, NPY_DOUBLE),
    CSM_PY_COLUMN(csm_subscriptions, currency, NPY_INT32),
    CSM_PY_COLUMN(csm_subscriptions, interval_unit, NPY_UINT8),
    CSM_PY_COLUMN(csm_subscriptions, interval_count, NPY_INT32),
    CSM_PY_COLUMN(csm_subscriptions, quantity, NPY_DOUBLE),
    CSM_PY_COLUMN(csm_subscriptions, discount_percent, NPY_DOUBLE),
    CSM_PY_COLUMN(csm_subscriptions, discount_amount, NPY_DOUBLE),
    CSM_PY_COLUMN(csm_subscriptions, trial_end, NPY_INT32),
    CSM_PY_COLUMN(csm_subscriptions, start_day, NPY_INT32),
    CSM_PY_COLUMN(csm_subscriptions, canceled_at, NPY_INT32),
    CSM_PY_COLUMN(csm_subscriptions, ended_at, NPY_INT32),
    CSM_PY_COLUMN(csm_subscriptions, kind, NPY_UINT8),
    CSM_PY_COLUMN(csm_subscriptions, tax, NPY_DOUBLE),
    CSM_PY_COLUMN(csm_subscriptions, segment, NPY_INT32),
};
static const csm_py_column csm_py_subscriptions_rates_spec[] = {
    CSM_PY_COLUMN(csm_subscriptions_rates, month, NPY_INT32),
    CSM_PY_COLUMN(csm_subscriptions_rates, currency, NPY_INT32),
    CSM_PY_COLUMN(csm_subscriptions_rates, rate, NPY_DOUBLE),
};
%}
CSM_PY_COLUMNS(csm_subscriptions, subscriptions, csm_py_subscriptions_spec)
CSM_PY_COLUMNS(csm_subscriptions_rates, subscriptions_rates,
               csm_py_subscriptions_rates_spec)

%ignore csm_subscriptions;
%ignore csm_subscriptions_rates;
%ignore csm_subscriptions_contracts;
%ignore csm_subscriptions_to_ledger; /* csm_py_subscriptions_to_ledger */
%ignore csm_subscriptions_to_contracts;
%ignore csm_subscriptions_contracts_free;
%ignore csm_subscriptions_currency_label;
%ignore csm_subscriptions_opts_init;
%ignore CSM_SUBSCRIPTIONS_DAY_NONE;
%ignore CSM_SUBSCRIPTIONS_CURRENCY_NONE;

%apply int32_t *OUTPUT { int32_t *code };
%apply unsigned char *OUTPUT { uint8_t *code };
%include "csmetrics/subscriptions.h"
%clear int32_t *code;
%clear uint8_t *code;

%constant int32_t SUBSCRIPTIONS_DAY_NONE = CSM_SUBSCRIPTIONS_DAY_NONE;
%constant int32_t SUBSCRIPTIONS_CURRENCY_NONE = CSM_SUBSCRIPTIONS_CURRENCY_NONE;

%inline %{
/* csm_subscriptions_to_ledger; with_rates = 0: no rate table (NULL). */
csm_status csm_py_subscriptions_to_ledger(csm_ledger **out,
                                          const csm_subscriptions *subs,
                                          const csm_subscriptions_rates *rates,
                                          int with_rates,
                                          const csm_subscriptions_opts *opts,
                                          const csm_ledger_opts *ledger_opts,
                                          csm_error *err) {
    return csm_subscriptions_to_ledger(out, subs, with_rates ? rates : NULL,
                                       opts, ledger_opts, err);
}
%}

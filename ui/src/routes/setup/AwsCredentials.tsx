import { ChoiceGroup } from '../../components/ChoiceGroup'
import { TextField } from '../../components/TextField'
import type { Credentials } from './draft'
import type { FieldErrors } from './validate'

interface AwsCredentialsProps {
  /** `storage` or `seal`: the id prefix of the fields. */
  prefix: string
  credentials: Credentials
  accessKey: string
  secretKey: string
  /** Whether the host keeps AWS keys in the OS keychain rather than the config file. */
  keychain: boolean
  configPath: string | null
  errors: FieldErrors
  onCredentials(value: Credentials): void
  onAccessKey(value: string): void
  onSecretKey(value: string): void
}

/** How Strongroom signs its AWS requests: the usual credential chain, or keys typed here. */
export function AwsCredentials(props: AwsCredentialsProps) {
  const { prefix, credentials, errors, keychain, configPath } = props
  const where = keychain
    ? 'The keys are kept in this computer’s keychain, not in the configuration file.'
    : `The keys are written to the server’s configuration file${configPath ? ` (${configPath})` : ''}, readable only by the user the server runs as.`
  return (
    <>
      <ChoiceGroup<Credentials>
        id={`${prefix}-credentials`}
        name={`${prefix}-credentials`}
        legend="AWS credentials"
        value={credentials}
        onChange={props.onCredentials}
        error={errors.credentials}
        choices={[
          {
            value: 'chain',
            label: 'AWS profile / environment (credential chain)',
            hint: 'What the AWS CLI would use: AWS_PROFILE, AWS_ACCESS_KEY_ID, ~/.aws/credentials, or an instance role.',
          },
          { value: 'keys', label: 'Access keys', hint: `An access key ID and secret access key. ${where}` },
        ]}
      />
      {credentials === 'keys' && (
        <div className="field-row">
          <TextField
            id={`${prefix}-access_key`}
            label="Access key ID"
            value={props.accessKey}
            onChange={props.onAccessKey}
            error={errors.access_key}
          />
          <TextField
            id={`${prefix}-secret_key`}
            label="Secret access key"
            value={props.secretKey}
            onChange={props.onSecretKey}
            error={errors.secret_key}
            secret
          />
        </div>
      )}
    </>
  )
}

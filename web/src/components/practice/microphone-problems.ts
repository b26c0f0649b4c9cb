import { MediaDeviceFailure } from 'livekit-client';

/**
 * Plain-words explanations of why the microphone did not start, with what to do about it.
 * Trainees meet these on their first session, usually on a locked-down dealership PC.
 */
export function describeMicrophoneProblem(failure: MediaDeviceFailure | undefined): string {
  if (typeof window !== 'undefined' && !window.isSecureContext) {
    return 'Your browser only allows the microphone on secure (https) pages. Open AvatarAdam through its https address, or on this computer at http://localhost.';
  }
  switch (failure) {
    case MediaDeviceFailure.PermissionDenied:
      return 'Your browser is blocking the microphone for this site. Click the microphone or lock icon in the address bar, choose “Allow”, then press “Try the microphone again”.';
    case MediaDeviceFailure.NotFound:
      return 'No microphone was found. Plug in a headset or microphone, then press “Try the microphone again”.';
    case MediaDeviceFailure.DeviceInUse:
      return 'Another program is using your microphone (a video call, for example). Close it, then press “Try the microphone again”.';
    default:
      return 'Your microphone could not be started. Check that it is connected and not muted in your computer’s sound settings, then try again.';
  }
}
